"""Outputs of graded work cut by size, not only by lines.

nbgrader's ``LimitOutput`` keeps at most 1000 lines of printed text and 100 lines of a
traceback. One line of 50 MB, or a 30 MB picture, passes it whole into the graded copy, the
gradebook's files and the feedback page released to the trainee. Here every output is also
cut by bytes: a text to :data:`MAX_TEXT_BYTES` with a line saying how big it was, a picture
larger than :data:`MAX_IMAGE_BYTES` replaced by such a line. The line is in the output, so
the trainee reads it in the feedback.
"""

from __future__ import annotations

from nbgrader.preprocessors import LimitOutput

from ..fmt import fmt_number
from ..i18n import t

MAX_TEXT_BYTES = 200_000     # a text output (printed, or a value's text/HTML), UTF-8
MAX_IMAGE_BYTES = 2_000_000  # a picture as stored (base64): a chart is 50–200 kB


def _megabytes(size: int) -> str:
    return fmt_number(size / 1e6, 1)


def cut_text(text: str, limit: int = MAX_TEXT_BYTES) -> str:
    """``text`` if its UTF-8 is within ``limit`` bytes, else its start and a line saying how
    long it was.

    >>> cut_text("я" * 10, limit=6).splitlines()[0]
    'яяя'
    """
    data = text.encode("utf-8")
    if len(data) <= limit:
        return text
    start = data[:limit].decode("utf-8", errors="ignore")
    note = t("grading.output_cut", size=_megabytes(len(data)), limit=_megabytes(limit))
    return f"{start}\n{note}"


class LimitOutputSize(LimitOutput):
    """nbgrader's ``LimitOutput`` (lines), then every output cut by bytes (module docstring)."""

    def preprocess_cell(self, cell, resources, index):
        cell, resources = super().preprocess_cell(cell, resources, index)
        for output in cell.get("outputs", []):
            kind = output.get("output_type")
            if kind == "stream":
                output["text"] = cut_text(output.get("text", ""))
            elif kind == "error":
                output["traceback"] = [cut_text(line) for line in output.get("traceback", [])]
                output["evalue"] = cut_text(output.get("evalue", ""))
            elif kind in ("display_data", "execute_result"):
                output["data"] = _cut_data(output.get("data", {}))
        return cell, resources


def _cut_data(data: dict) -> dict:
    """A display's representations cut by size; a picture too big becomes a line of text."""
    kept = {}
    for mime, value in data.items():
        text = value if isinstance(value, str) else "".join(value) if isinstance(
            value, list) else None
        if text is None:
            kept[mime] = value
        elif mime.startswith("image/") and len(text) > MAX_IMAGE_BYTES:
            kept["text/plain"] = t("grading.image_cut", size=_megabytes(len(text)),
                                   limit=_megabytes(MAX_IMAGE_BYTES))
        else:
            kept.setdefault(mime, cut_text(text))
    return kept
