"""Helpers for tests that drive a tool's «Свои данные» panel."""

import pandas as pd

from ovop_course.ui._own_data import cell_text


def type_table(editor, frame: pd.DataFrame) -> None:
    """Add a row per record and type every value into its cell, as a trainee would."""
    for _ in range(len(frame)):
        editor.add_row()
    for row, record in enumerate(frame.to_dict("records"), start=1):
        for column in editor.columns:
            text = cell_text(record.get(column))
            if text:
                editor.type(row, column, text)
