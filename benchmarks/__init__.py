"""Benchmarks of the course (``make bench``): ratios measured in one run, see docs/quality.md."""
