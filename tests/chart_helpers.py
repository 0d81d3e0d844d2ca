"""Helpers for tests that compare pictures."""

import re

NUMBER = re.compile(rb"-?\d+\.\d+")


def drawn(svg: bytes) -> bytes:
    """An SVG with its coordinates rounded to 0.01 pt: a kept figure redrawn in place and a new
    figure of the same data agree up to floating-point noise in the last digit (58.370313 and
    58.370312), which no screen shows."""
    return NUMBER.sub(lambda m: b"%.2f" % float(m.group()), svg)
