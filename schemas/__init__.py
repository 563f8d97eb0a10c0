"""pandera contracts (polars backend), one module per table family."""
