"""The course in a real kernel: a course error is a readable box, numbers print as numbers.

Cells run in a real IPython kernel (nbclient), as in JupyterLab: the cell's outputs are what a
trainee would see under it.
"""

from __future__ import annotations

import subprocess
import sys

import nbformat
import pytest
from nbclient import NotebookClient

from ovop_course import notebook

CELLS = [
    "import ovop_course",
    # 0 — creating a workbook with an empty name: the course's error
    'from ovop_course.workbook import Workbook\nWorkbook.new(trainee="", aiyl_aimak="Ак-Суу",'
    ' region="Нарынская область")',
    # 1 — any other error keeps its traceback
    "1 / 0",
    # 2, 3, 4 — numpy's numbers
    "import numpy as np\nnp.float64(0.25)",
    "[np.float64(0.21944611679711018), np.int64(3), np.bool_(True), np.float32(0.5)]",
    '{"share": np.float64(0.1), "count": np.uint8(7)}',
    # 5 — the course error in English once the language is English
    "from ovop_course.i18n import set_language\nset_language('en')\n"
    'Workbook.new(trainee="А", aiyl_aimak="", region="")',
]


@pytest.fixture(scope="module")
def outputs(tmp_path_factory):
    """The outputs of each cell after the first, run in one kernel (errors allowed)."""
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(c) for c in CELLS])
    folder = tmp_path_factory.mktemp("kernel")
    NotebookClient(nb, kernel_name="python3", allow_errors=True, timeout=120,
                   resources={"metadata": {"path": str(folder)}}).execute()
    return [cell.outputs for cell in nb.cells[1:]]


def errors(outputs):
    return [o for o in outputs if o.output_type == "error"]


def test_a_course_error_shows_its_russian_message_and_no_traceback(outputs):
    shown = outputs[0]
    boxes = [o for o in shown if o.output_type == "display_data"]
    assert len(boxes) == 1
    message = "Чтобы создать рабочую тетрадь, заполните: «имя слушателя»."
    html, plain = boxes[0].data["text/html"], boxes[0].data["text/plain"]
    assert "ovop-course-error" in html and message in html and "Ячейка не выполнена" in html
    assert message in plain                       # for frontends without HTML
    for output in errors(shown):                  # an error output, if any, is no traceback
        assert "Traceback" not in "\n".join(output.traceback)
    text = str(shown)
    assert "Traceback" not in text and "trainee" not in text and "pydantic" not in text


def test_a_course_error_still_stops_the_cell(tmp_path):
    """«Run All» stops at the cell: the kernel replies with status «error»."""
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(CELLS[0]),
                                         nbformat.v4.new_code_cell(CELLS[1]),
                                         nbformat.v4.new_code_cell("print('дальше')")])
    client = NotebookClient(nb, kernel_name="python3", timeout=120,
                            resources={"metadata": {"path": str(tmp_path)}})
    with pytest.raises(Exception, match="заполните: «имя слушателя»") as e:
        client.execute()
    assert "Traceback" not in str(e.value)
    assert nb.cells[2].outputs == []


def test_any_other_error_keeps_its_traceback(outputs):
    (error,) = errors(outputs[1])
    assert error.ename == "ZeroDivisionError"
    assert "Traceback" in "\n".join(error.traceback)


@pytest.mark.parametrize("cell, expected", [
    (2, "0.25"),
    (3, "[0.21944611679711018, 3, True, 0.5]"),
    (4, "{'share': 0.1, 'count': 7}"),
])
def test_numpy_numbers_print_as_numbers(outputs, cell, expected):
    (result,) = [o for o in outputs[cell] if o.output_type == "execute_result"]
    assert result.data["text/plain"] == expected


def test_numpy_numbers_print_as_numbers_when_pandas_came_first(tmp_path):
    """A trainee's cell often imports pandas before the course: IPython then has a printer of
    its own for np.float64 (np.float64(1.5)), which the course's printer must replace."""
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(code) for code in (
        "import pandas as pd\nimport numpy as np\nnp.float64(0.5)",
        "from ovop_course.data import load_table\nnp.float64(1.5)",
        "[np.float64(2.5), np.int64(3)]")])
    NotebookClient(nb, kernel_name="python3", timeout=120,
                   resources={"metadata": {"path": str(tmp_path)}}).execute()
    shown = [next(o.data["text/plain"] for o in cell.outputs if o.output_type == "execute_result")
             for cell in nb.cells]
    assert shown[1:] == ["1.5", "[2.5, 3]"]


def test_the_box_speaks_the_current_language(outputs):
    (box,) = [o for o in outputs[5] if o.output_type == "display_data"]
    assert "To create a workbook, fill in: «aiyl aimak», «region»." in box.data["text/plain"]
    assert "The cell did not run" in box.data["text/html"]


def test_every_numpy_number_type_has_its_printer():
    np = pytest.importorskip("numpy")
    kinds = {t for t in np.sctypeDict.values()
             if issubclass(t, (np.floating, np.integer, np.bool_))
             and not issubclass(t, np.timedelta64)}    # a duration, not a number
    assert {t.__name__ for t in kinds} <= set(notebook.NUMPY_SCALARS)


def test_outside_ipython_nothing_is_installed_and_numpy_is_not_imported():
    code = ("import sys, ovop_course, ovop_course.notebook as n;"
            "print(n.install(), 'numpy' in sys.modules, 'IPython' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], check=True, capture_output=True,
                         text=True).stdout.split()
    assert out == ["False", "False", "False"]
