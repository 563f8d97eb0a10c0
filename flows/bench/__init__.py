"""Benchmark: a synthetic multilingual corpus and the measured run over it. No prefect here."""
