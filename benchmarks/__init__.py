"""Benchmarks of ordino against Kedro, run by `make bench`."""
