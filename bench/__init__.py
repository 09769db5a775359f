"""Benchmarks run by ``make bench`` (``python -m bench.run``); results in ``bench/results/``."""
