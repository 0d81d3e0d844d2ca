"""App mode (``ovop-course app``): every step's tool as a Voila page, no code in sight.

For trainers working with producers. The rules:

- **Pages come from the registry** at every start (:func:`write_app`), into :func:`app_folder`,
  which the Voila server serves; nothing is shipped that could drift from the tools. A tool's
  page is ``voila/render/tool.ipynb?name=<tool>``: one tiny notebook, :data:`PAGE`, whose one
  code cell shows the tool the page view names (:func:`tool_page`) with the trainee's own
  workbook data, not the lesson case.
- **The start page** is Voila's folder page (``/``), replaced by the course's Voila template
  :data:`TEMPLATE` (written with the page into Jupyter's data folder): one link per registered
  tool with its step and title. It needs no kernel and nothing from the course's
  ``notebooks/``, so it works from a wheel too.
- **Offline**: the template leaves out what Voila's ``lab`` template asks the internet for (the
  Font Awesome stylesheets from cdn.jsdelivr.net: Voila's own bundle has the icons; mermaid from
  cdnjs), and MathJax is Voila's bundled one (both MathJax options ``"null"``), not cdnjs's.
- **Ready fast, memory capped**: the one page has :data:`POOL_SIZE` kernels started in advance
  (Voila's preheated pool) that have imported every tool module and wait for a page view; only
  then is the tool built, so it shows the workbook as it is at that moment. However many tools
  there are, no more kernels wait than that. A used kernel is replaced :data:`FILL_DELAY` s
  later, once the page is up; the kernel of a closed page (Voila's shutdown request on leaving
  a page is refused by the server's XSRF check, voila#1458) is culled after :data:`CULL_IDLE` s
  idle with no page connected.
"""

from __future__ import annotations

import json
import os
import sys
from dataclasses import dataclass
from html import escape
from pathlib import Path
from urllib.parse import parse_qs

from .i18n import get_language, t
from .steps import COURSE
from .user_cache import write_whole

PORT = 8866
TEMPLATE = "ovop_course"
PAGE = "tool.ipynb"
POOL_SIZE = 2       # kernels waiting for a page view: a trainer opens one page at a time
FILL_DELAY = 3      # s before a used kernel is replaced: the page's own start goes first
CULL_IDLE = 120     # s idle before a kernel no page is connected to is shut down
CULL_INTERVAL = 30  # s between checks for idle kernels
# JupyterLab extensions installed beside the course that have nothing to show in a page of
# widgets and fail to load there (a console error each, and time): nbgrader's, Notebook's
NOT_IN_PAGES = ("@jupyter/nbgrader", "@jupyter-notebook/lab-extension")


@dataclass(frozen=True)
class Link:
    """A tool on the start page: its registered name, step label and title."""

    name: str
    label: str
    title: str


def app_folder() -> Path:
    """Where the page is written and served from: ``ovop_course_app`` in Jupyter's data
    folder (``JUPYTER_DATA_DIR``), beside the folder of its Voila templates."""
    from jupyter_core.paths import jupyter_data_dir

    return Path(jupyter_data_dir()) / "ovop_course_app"


def template_folder() -> Path:
    """The course's Voila template, where Voila looks for templates (``voila/templates``)."""
    from jupyter_core.paths import jupyter_data_dir

    return Path(jupyter_data_dir()) / "voila" / "templates" / TEMPLATE


def course_order(names: list[str]) -> list[str]:
    """The registered tools in course order (:data:`~ovop_course.steps.COURSE`), then the
    others by name."""
    known = [m.tool for m in COURSE if m.tool in names]
    return known + sorted(set(names) - set(known))


def label(name: str) -> str:
    """«Шаг N» for a step's tool, «Модуль N» for a module without a step, else nothing."""
    module = next((m for m in COURSE if m.tool == name), None)
    if module is None:
        return ""
    if module.step is not None:
        return t("app.step", number=module.step)
    return t("app.module", number=int(module.notebook[:2]))


def links() -> list[Link]:
    """A link for every registered tool, in course order, with the title the tool shows
    (built once here: a title may come from the tool's data, as the quiz's does) without a
    leading «Шаг N.» that its label already says."""
    import ovop_course

    from .ui import tool_names

    found = []
    for name in course_order(tool_names()):
        title, step = ovop_course.tool(name).title, label(name)
        found.append(Link(name, step, title.removeprefix(f"{step}. ") if step else title))
    return found


def page_notebook() -> dict:
    """The tools' page: a link back to the start page and one code cell, the tool."""
    import nbformat

    back = nbformat.v4.new_markdown_cell(f"[{t('app.back')}](../..)")
    code = nbformat.v4.new_code_cell("import ovop_course.app\novop_course.app.tool_page()")
    return nbformat.v4.new_notebook(cells=[back, code], metadata={
        "title": t("app.start_title"),
        "kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"},
    })


def tool_page():
    """The tool the page view names (``?name=territory``). In a kernel Voila heated in advance
    every tool module is imported first (their objects then left out of full garbage
    collections, as the registry does for one tool: :mod:`ovop_course.heap`) and the page view
    waited for; the tool is built only then, with the workbook as it is at that moment."""
    import ovop_course

    if os.environ.get("VOILA_PREHEAT") == "True":
        from voila.utils import wait_for_request

        from .heap import settle_imports
        from .ui import tool_names

        tool_names()
        settle_imports()
        wait_for_request()
    query = parse_qs(os.environ.get("QUERY_STRING", ""))
    return ovop_course.tool(query.get("name", [""])[0])


def _text(value: str) -> str:
    """``value`` as HTML text inside a Jinja template (braces too, so it stays text)."""
    return escape(value).replace("{", "&#123;").replace("}", "&#125;")


def start_page(found: list[Link]) -> str:
    """The start page (a Jinja template of Voila's folder page): title, a line on how it
    works and a link per tool with its step label and title; plain HTML, no script."""
    items = "\n".join(
        f'<li><a class="ovop-app-tool" href="{{{{ base_url }}}}voila/render/{PAGE}?name={p.name}">'
        f'<span class="ovop-app-step">{_text(p.label)}</span>'
        f'<span class="ovop-app-title">{_text(p.title)}</span></a></li>' for p in found)
    title = _text(t("app.start_title"))
    return f"""<!DOCTYPE html>
<html lang="{get_language()}">
<head><meta charset="utf-8"><title>{title}</title><link rel="icon" href="data:;base64,=">
<style>{START_CSS}</style></head>
<body><main>
<h1>{title}</h1>
<p>{_text(t("app.start_intro"))}</p>
<ul class="ovop-app-tools">
{items}
</ul>
<p class="ovop-app-stop">{_text(t("app.start_stop"))}</p>
</main></body></html>
"""


START_CSS = """
body { margin: 0; padding: 24px; background: #f6f6f2; color: #1d1d1b;
       font: 16px/1.4 "DejaVu Sans", Arial, "Liberation Sans", sans-serif; }
main { max-width: 900px; margin: 0 auto; }
h1 { font-size: 26px; margin: 0 0 8px; }
ul { list-style: none; margin: 16px 0; padding: 0; }
.ovop-app-tool { display: flex; gap: 16px; margin: 8px 0; padding: 12px 16px; color: inherit;
                 background: #fff; border: 1px solid #c9cbc2; border-radius: 6px;
                 text-decoration: none; }
.ovop-app-tool:hover, .ovop-app-tool:focus { border-color: #26735f; background: #eef6f2; }
.ovop-app-step { flex: 0 0 100px; font-weight: bold; color: #26735f; }
.ovop-app-stop { color: #5b5d55; font-size: 14px; }
"""


def template_files(found: list[Link]) -> dict[str, str]:
    """The files of the course's Voila template: Voila's ``lab`` template without its links to
    the internet, a loading line in the interface's language, and the start page for both of
    Voila's folder pages."""
    notebook = (
        "{%- extends 'voila/templates/lab/index.html.j2' -%}\n"
        "{%- block notebook_css -%}\n"
        "{%- for line in super().split('\\n') if not ('<link' in line and '://' in line) %}\n"
        "{{ line }}\n"
        "{%- endfor %}\n"
        "{%- endblock notebook_css -%}\n"
        "{%- block html_head_js_mermaidjs -%}{%- endblock html_head_js_mermaidjs -%}\n")
    spinner = (
        "{% import 'voila/templates/base/spinner.macro.html.j2' as voila_spinner %}\n"
        "{% macro css() %}{{ voila_spinner.css() }}{% endmacro %}\n"
        '{% macro html() %}<div id="loading" style="display: flex;">'
        f"<h2>{_text(t('app.loading'))}</h2></div>{{% endmacro %}}\n")
    start = start_page(found)
    return {"conf.json": json.dumps({"base_template": "lab"}), "index.html.j2": notebook,
            "spinner.macro.html.j2": spinner, "tree.html": start, "tree-lab.html": start}


def write_app() -> Path:
    """Write the tools' page and the course's Voila template with a link to every registered
    tool; remove any other notebook from the page's folder (Voila would heat kernels for it).
    Returns the folder to serve."""
    import nbformat

    folder = app_folder()
    for name, text in template_files(links()).items():
        write_whole(template_folder() / name, text.encode("utf-8"))
    write_whole(folder / PAGE, nbformat.writes(page_notebook()).encode("utf-8"))
    for old in set(folder.glob("*.ipynb")) - {folder / PAGE}:
        old.unlink()
    return folder


def app_command(folder: Path, port: int = PORT, no_browser: bool = False) -> list[str]:
    """The Voila command line serving ``folder`` on this computer only (127.0.0.1): the
    course's template, :data:`POOL_SIZE` heated kernels, idle kernels culled, no tracebacks
    shown, MathJax from Voila's own files, no JupyterLab extension of :data:`NOT_IN_PAGES`."""
    cmd = [
        sys.executable, "-m", "voila", f"--Voila.root_dir={folder}", f"--port={port}",
        "--Voila.ip=127.0.0.1", f"--VoilaConfiguration.template={TEMPLATE}",
        "--VoilaConfiguration.allow_template_override=NO",
        "--VoilaConfiguration.show_tracebacks=False",
        f"--VoilaConfiguration.extension_denylist={json.dumps(list(NOT_IN_PAGES))}",
        "--VoilaConfiguration.preheat_kernel=True",
        f"--VoilaConfiguration.default_pool_size={POOL_SIZE}",
        f"--VoilaKernelManager.fill_delay={FILL_DELAY}",
        f"--MappingKernelManager.cull_idle_timeout={CULL_IDLE}",
        f"--MappingKernelManager.cull_interval={CULL_INTERVAL}",
        "--Voila.mathjax_url=null", "--Voila.mathjax_config=null",
    ]
    if no_browser:
        cmd.append("--no-browser")
    return cmd


def run(port: int = PORT, no_browser: bool = False) -> int:
    """Write the page and start Voila; on POSIX Voila replaces this process (Ctrl+C reaches
    it directly), elsewhere it runs as a child until it ends."""
    print(t("app.starting"), flush=True)
    cmd = app_command(write_app(), port, no_browser)
    if os.name == "posix":
        os.execv(cmd[0], cmd)
    import subprocess

    return subprocess.call(cmd)
