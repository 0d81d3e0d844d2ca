"""Fixtures shared by the unit tests."""

import pytest


@pytest.fixture
def workbook_file(tmp_path, monkeypatch):
    """The trainee's workbook path in a temporary folder (not created), where tools save."""
    path = tmp_path / "wb.json"
    monkeypatch.setenv("OVOP_WORKBOOK", str(path))
    return path
