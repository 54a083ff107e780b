"""Benchmarks and the synthetic register generator (results go to BENCHMARKS.md; no timing assertions)."""
