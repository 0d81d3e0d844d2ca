"""Benchmarks of the course (``make bench``): ratios measured in one run (docs/performance.md)."""
