"""Benchmarks: each module's main() prints its figures beside a baseline measured in the same run."""
