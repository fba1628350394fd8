"""Load and latency benchmarks for the central service (not tests: pytest does not collect them).

``python -m bench.load --help`` and ``python -m bench.sse_latency --help``; see bench/README.md.
"""
