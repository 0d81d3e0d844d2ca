"""Helpers for tests that compare pictures."""

import io

import numpy as np
from PIL import Image


def pixels(png: bytes) -> np.ndarray:
    """The pixels of a PNG picture, to compare two pictures exactly."""
    return np.asarray(Image.open(io.BytesIO(png)))
