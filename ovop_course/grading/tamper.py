"""What in a trainee's work a trainer should look at: tampering signs, for a human to judge.

The sandbox and the tests outside the kernel (:mod:`.execute`) keep such code from changing a
grade; this only tells the trainer it was there, in the grades table's «Подозрительно»
column. Three kinds, each found in the code of the cells that are not tests (answers and
added cells, IPython syntax such as ``!ls`` read as the kernel reads it):

- **cells rewritten**: an IPython input or AST transformer, an event hook, or a replaced
  ``run_cell``;
- **builtins replaced**: ``builtins``/``__builtins__`` touched, or a builtin such as ``abs``
  defined anew;
- **reaching outside the work**: processes, signals, the network, files by an absolute or
  upward path — in the code, or as refusals in the graded copy's outputs (read-only file
  system, permission denied, no network).
"""

from __future__ import annotations

import ast
import builtins
import re
from pathlib import Path

import nbformat

from ..i18n import t
from .execute import is_test

_TRANSFORMERS = {"input_transformers_cleanup", "input_transformers_post", "ast_transformers",
                 "input_transformer_manager", "register_transformer", "run_cell",
                 "run_ast_nodes", "run_code", "transform_cell", "pre_run_cell", "pre_execute"}
_OUTSIDE_MODULES = {"socket", "urllib", "http", "requests", "subprocess", "ctypes", "signal",
                    "multiprocessing", "pty", "shutil", "ftplib", "smtplib", "telnetlib"}
# os.<call> that act on processes or files (other modules' «remove», «rename» are common)
_OS_CALLS = {"system", "popen", "kill", "killpg", "fork", "forkpty", "setsid", "remove",
             "unlink", "rmdir", "rename", "replace", "chmod", "chown", "execv", "execve",
             "spawnv", "spawnl", "getppid", "listdir", "scandir", "walk", "open"}
_REFUSALS = ("Read-only file system", "Permission denied", "Operation not permitted",
             "Network is unreachable", "Name or service not known",
             "Temporary failure in name resolution", "Connection refused")


def suspicions(paths: list[Path]) -> list[str]:
    """The tampering signs (Russian, each once) in the notebooks ``paths`` of one work: its
    submitted copy for the code, its graded copy for the outputs."""
    kinds: set[str] = set()
    for path in paths:
        try:
            nb = nbformat.read(path, as_version=4)
        except Exception:  # noqa: BLE001 (a damaged file is reported by grading itself)
            continue
        for cell in nb.cells:
            if cell.cell_type == "code" and not is_test(cell):
                kinds |= _code_signs(cell.source)
            kinds |= _output_signs(cell)
    return [t(f"grading.tamper.{kind}") for kind in ("cells", "builtins", "outside")
            if kind in kinds]


def _code_signs(source: str) -> set[str]:
    """The kinds of tampering the code of one cell shows."""
    from IPython.core.inputtransformer2 import TransformerManager

    try:
        tree = ast.parse(TransformerManager().transform_cell(source))
    except (SyntaxError, ValueError):
        return set()
    kinds: set[str] = set()
    for node in ast.walk(tree):
        kinds |= _node_signs(node)
    return kinds


def _node_signs(node: ast.AST) -> set[str]:
    """The kinds of tampering one syntax node shows."""
    words = _words(node)
    kinds = set()
    if words & _TRANSFORMERS:
        kinds.add("cells")
    if words & {"builtins", "__builtins__"} or _defines_builtin(node):
        kinds.add("builtins")
    if words & _OUTSIDE_MODULES or _os_call(node) or _outside_path(node):
        kinds.add("outside")
    return kinds


def _words(node: ast.AST) -> set[str]:
    """The names, attributes and imported modules a node itself mentions."""
    if isinstance(node, ast.Name):
        return {node.id}
    if isinstance(node, ast.Attribute):
        return {node.attr}
    if isinstance(node, ast.Import | ast.ImportFrom):
        modules = [a.name for a in node.names] + ([node.module] if getattr(node, "module", None)
                                                  else [])
        return {m.split(".")[0] for m in modules}
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return {node.value} & _TRANSFORMERS
    return set()


def _os_call(node: ast.AST) -> bool:
    """``os.kill(…)``, ``os.system(…)``…: a call of the os module on processes or files."""
    func = getattr(node, "func", None) if isinstance(node, ast.Call) else None
    return (isinstance(func, ast.Attribute) and func.attr in _OS_CALLS
            and isinstance(func.value, ast.Name) and func.value.id == "os")


def _defines_builtin(node: ast.AST) -> bool:
    """``abs = …``, ``def round(…)``: a builtin's name given a new meaning."""
    names = set(dir(builtins)) - {"_", "__doc__", "__name__"}
    if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
        return node.name in names
    if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store):
        return node.id in names
    return False


def _outside_path(node: ast.AST) -> bool:
    """A string that names a file by an absolute, home or upward path (``/etc/passwd``,
    ``~/x``, ``../x``)."""
    if not (isinstance(node, ast.Constant) and isinstance(node.value, str)):
        return False
    text = node.value
    return bool(re.match(r"(/[A-Za-z._]|~/|\.\./)", text)) and not re.search(r"\s", text)


def _output_signs(cell) -> set[str]:
    """«outside» when a graded output shows the sandbox refusing something."""
    for output in cell.get("outputs", []):
        text = " ".join([str(output.get("evalue", "")), str(output.get("text", ""))])
        if any(refusal in text for refusal in _REFUSALS):
            return {"outside"}
    return set()
