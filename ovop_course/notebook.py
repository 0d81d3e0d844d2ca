"""The course inside a notebook (IPython): course errors as readable boxes, numbers as numbers.

``import ovop_course`` runs :func:`install` when it runs inside IPython (a Jupyter kernel,
the IPython terminal), once per import:

- an :class:`~ovop_course.errors.OvopError` raised by a course function that a trainee's own
  cell calls shows its message in a box (HTML, with plain text for frontends without HTML),
  not as a Python traceback; the cell still counts as failed, so «Run All» stops there. Any
  other exception keeps IPython's traceback;
- numpy's scalars print as plain numbers (``0.25``, not ``np.float64(0.25)``), also inside
  lists and dicts. The printers are registered by type name, so numpy is not imported here;
  where numpy is imported already (a cell imported pandas first), by the types themselves,
  which replaces the printer IPython then has for ``np.float64``.

Outside IPython nothing happens, and nothing heavy is imported either way.
"""

from __future__ import annotations

import sys

from .errors import OvopError

# numpy's scalar types by name (numpy 1 and 2 spellings): each one defines its own repr, so
# every concrete type needs its printer (one for ``np.generic`` would never be reached).
NUMPY_SCALARS = (
    "float16", "float32", "float64", "float96", "float128", "longdouble",
    "int8", "int16", "int32", "int64", "longlong", "intc", "intp",
    "uint8", "uint16", "uint32", "uint64", "ulonglong", "uintc", "uintp",
    "bool", "bool_",
)

BOX_STYLE = ("border-left:4px solid #B00020;background:#FDECEA;color:#3C0008;padding:8px 12px;"
             "margin:4px 0;line-height:1.45;white-space:pre-wrap;max-width:900px")


def install(shell=None) -> bool:
    """Set up the running IPython ``shell`` (default: the current one, if any); True if done.

    Without IPython (a script, pytest) there is no shell, and nothing is changed.
    """
    if shell is None:
        ipython = sys.modules.get("IPython")  # imported already in any IPython session
        shell = ipython.get_ipython() if ipython is not None else None
    if shell is None:
        return False
    shell.set_custom_exc((OvopError,), show_course_error)
    plain = shell.display_formatter.formatters["text/plain"]
    numpy = sys.modules.get("numpy")  # imported already: IPython may have its own printers
    for name in NUMPY_SCALARS:
        kind = getattr(numpy, name, None)
        if isinstance(kind, type):
            plain.for_type(kind, _plain_number)   # replaces IPython's printer of the type
        else:
            plain.for_type_by_name("numpy", name, _plain_number)
    return True


def course_error_bundle(error: BaseException) -> dict[str, str]:
    """The message of a course error as a display bundle: an HTML box and its plain text."""
    from html import escape

    from .i18n import t

    title, hint, message = t("notebook.error_title"), t("notebook.error_hint"), str(error)
    html = (f'<div class="ovop-course-error" style="{BOX_STYLE}"><b>⚠ {escape(title)}</b>\n'
            f"{escape(message)}\n<i>{escape(hint)}</i></div>")
    return {"text/html": html, "text/plain": f"⚠ {title}\n{message}\n{hint}"}


def show_course_error(shell, etype, value, tb, tb_offset=None):
    """IPython's custom exception handler for OvopError: show the box, no traceback.

    Returns no structured traceback; the kernel's reply for the cell (status «error») carries
    the one line of the message in place of a traceback.
    """
    from IPython.display import display

    bundle = course_error_bundle(value)
    display(bundle, raw=True)
    if hasattr(shell, "_last_traceback"):  # ipykernel puts it into the cell's execute reply
        shell._last_traceback = [bundle["text/plain"]]
    return None


def _plain_number(number, printer, cycle) -> None:
    """IPython's pretty printer for a numpy scalar: the number as ``str`` shows it."""
    printer.text(str(number))
