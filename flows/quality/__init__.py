"""The data-quality gate: pandera contracts applied, failures turned into quarantine rows."""
