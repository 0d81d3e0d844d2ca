"""Autograde's Execute step with the tests run outside the trainee's kernel.

nbgrader runs a test cell in the same Python as the trainee's answers, so the answers can
rewrite the tests before they run: an IPython input transformer turns every later cell into
``pass``, a patched ``abs`` or ``round`` changes what a test computes, an object whose
``__eq__`` says True passes every comparison — full marks with no answers. Here every answer
cell runs in the kernel as before, but a test cell does not:

1. the names the test reads and does not define itself (``honey``, ``stable_fresh``…) are
   found in its source (:func:`names_read`);
2. the kernel writes down their values as plain data (:func:`.plain.export`, through a
   ``user_expressions`` request, which leaves no trace in the notebook);
3. the test's own source (restored by nbgrader from the trainer's copy) runs in this grading
   process on those values, with Python's own builtins (:func:`run_test`), and its printed
   lines or its error become the cell's outputs, which nbgrader scores as usual (an error or
   a line on stderr: no points).

So a test means the same as in the trainer's notebook, and the only thing a trainee's code can
still choose is the value of its answers. Warnings a test's own code raises are not shown (in
the kernel they would go to stderr and cost the points).
"""

from __future__ import annotations

import ast
import builtins
import contextlib
import io
import linecache
import traceback
import warnings

from nbformat.v4 import new_output
from nbgrader.preprocessors import Execute
from nbgrader.utils import is_grade, is_solution

from ..i18n import t
from .plain import restore

_EXPORT = ("__import__('ovop_course.grading.plain', fromlist=['export'])"
           ".export(globals(), {names!r})")


def is_test(cell) -> bool:
    """An nbgrader test cell: a graded code cell that is not an answer."""
    return cell.cell_type == "code" and is_grade(cell) and not is_solution(cell)


def names_read(source: str) -> list[str]:
    """The names ``source`` reads but neither assigns, imports nor gets from Python's
    builtins: the values the test needs from the trainee's kernel (sorted)."""
    tree = ast.parse(source)
    loaded, bound = set(), set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Name):
            (loaded if isinstance(node.ctx, ast.Load) else bound).add(node.id)
        elif isinstance(node, ast.Import | ast.ImportFrom):
            bound |= {(a.asname or a.name).split(".")[0] for a in node.names}
        elif isinstance(node, ast.arg):
            bound.add(node.arg)
        elif isinstance(node, ast.FunctionDef | ast.ClassDef | ast.AsyncFunctionDef):
            bound.add(node.name)
    return sorted(loaded - bound - set(dir(builtins)))


def run_test(source: str, values: dict, name: str = "test") -> list:
    """Run a test's ``source`` here on ``values``; its outputs as nbformat outputs.

    The last line, if it is an expression with a value, becomes an ``execute_result``, as in
    the kernel (nbgrader reads a number there as partial credit).
    """
    filename = f"<{t('grading.test_cell', name=name)}>"
    linecache.cache[filename] = (len(source), None, source.splitlines(True), filename)
    namespace = {"__builtins__": builtins, "__name__": "__main__", **values}
    out, err, outputs = io.StringIO(), io.StringIO(), []
    try:
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err), \
                warnings.catch_warnings():
            warnings.simplefilter("ignore")
            result = _exec(ast.parse(source, filename), namespace, filename)
    except BaseException as error:  # noqa: BLE001 (a failed test is an output, as in the kernel)
        result, failure = None, _error_output(error, filename)
    else:
        failure = None
    outputs += [new_output("stream", name=stream, text=text.getvalue())
                for stream, text in (("stdout", out), ("stderr", err)) if text.getvalue()]
    if result is not None:
        outputs.append(new_output("execute_result", data={"text/plain": repr(result)},
                                  execution_count=None))
    return outputs + ([failure] if failure else [])


def _exec(tree: ast.Module, namespace: dict, filename: str):
    """Execute a test's statements; the value of a last expression statement, if any."""
    last = tree.body[-1] if tree.body and isinstance(tree.body[-1], ast.Expr) else None
    body = ast.Module(body=tree.body[:-1] if last else tree.body, type_ignores=[])
    exec(compile(body, filename, "exec"), namespace)  # noqa: S102 (the trainer's test)
    if last is None:
        return None
    return eval(compile(ast.Expression(last.value), filename, "eval"), namespace)  # noqa: S307


def _error_output(error: BaseException, filename: str):
    """An ``error`` output as IPython writes it: name, message and the test's own frames."""
    frames = [f for f in traceback.extract_tb(error.__traceback__) if f.filename == filename]
    lines = traceback.format_list(frames) + traceback.format_exception_only(error)
    return new_output("error", ename=type(error).__name__, evalue=str(error),
                      traceback=[line.rstrip("\n") for line in lines])


class ExecuteTestsOutside(Execute):
    """nbgrader's Execute, test cells run by :func:`run_test` on the kernel's plain values."""

    def preprocess_cell(self, cell, resources, index):
        if not is_test(cell):
            return super().preprocess_cell(cell, resources, index)
        self._check_assign_resources(resources)
        try:
            names = names_read(cell.source)
        except SyntaxError as error:
            cell.outputs = [_error_output(error, "")]
            return cell, self.resources
        values = self._values(cell, names)
        grade_id = cell.metadata["nbgrader"].get("grade_id", str(index))
        cell.outputs = run_test(cell.source, values, grade_id) if isinstance(values, dict) \
            else [values]
        cell.execution_count = None
        return cell, self.resources

    def _values(self, cell, names: list[str]):
        """The kernel's values of ``names`` (a dict), or an error output saying why not."""
        if not names:
            return {}
        msg_id = self.kc.execute("", silent=True, store_history=False, allow_stdin=False,
                                 user_expressions={"v": _EXPORT.format(names=names)})
        reply = self.wait_for_reply(msg_id, cell)
        answer = ((reply or {}).get("content", {}).get("user_expressions") or {}).get("v", {})
        try:
            text = ast.literal_eval(answer["data"]["text/plain"])
            return restore(text)
        except (KeyError, TypeError, ValueError, SyntaxError, MemoryError, RecursionError):
            detail = answer.get("evalue") or answer.get("ename") or t("grading.no_reply")
            return new_output("error", ename="ValuesUnavailable",
                              evalue=t("grading.values_unavailable", detail=detail),
                              traceback=[t("grading.values_unavailable", detail=detail)])
