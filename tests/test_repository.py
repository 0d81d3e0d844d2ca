"""Repository conventions: environment.yml in step, clean notebooks, a complete data dictionary."""

import json
import re
import tomllib
from pathlib import Path

import pytest
import yaml

from ovop_course.schemas import DOCUMENTS, TABLES
from ovop_course.steps import SHARED, rooms

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = sorted(p for folder in ("notebooks", "solutions", "exercises")
                   for p in (ROOT / folder).rglob("*.ipynb") if ".ipynb_checkpoints" not in p.parts)


def test_environment_yml_mirrors_pyproject():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    env = yaml.safe_load((ROOT / "environment.yml").read_text(encoding="utf-8"))
    pip = next(d["pip"] for d in env["dependencies"] if isinstance(d, dict))
    assert sorted(d for d in pip if d != "-e .") == sorted(project["dependencies"])
    python = next(d for d in env["dependencies"] if isinstance(d, str) and d.startswith("python"))
    assert python.removeprefix("python") == project["requires-python"]


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: str(p.relative_to(ROOT)))
def test_notebooks_are_committed_without_outputs(path):
    nb = json.loads(path.read_text(encoding="utf-8"))
    dirty = [i for i, c in enumerate(nb["cells"]) if c["cell_type"] == "code"
             and (c.get("outputs") or c.get("execution_count"))]
    assert not dirty, f"cells with outputs: {dirty} — clear outputs before committing"


def test_file_names_are_ascii():
    for folder in ("notebooks", "solutions", "exercises", "data", "ovop_course"):
        for path in (ROOT / folder).rglob("*"):
            assert path.name.isascii(), path


def readme_sections(readme="README.md"):
    """data/README.md (or its English README.en.md): '### data/<file>' headings, each followed
    by a table of `column` rows."""
    text = (ROOT / "data" / readme).read_text(encoding="utf-8")
    sections = {}
    for block in re.split(r"^### ", text, flags=re.M)[1:]:
        heading, _, body = block.partition("\n")
        sections[heading.strip().strip("`")] = set(re.findall(r"^\|\s*`([^`]+)`", body, re.M))
    return sections


@pytest.mark.parametrize("readme", ["README.md", "README.en.md"])
def test_data_dictionary_describes_every_file_and_column(readme):
    sections = readme_sections(readme)
    files = sorted(p.relative_to(ROOT).as_posix() for p in (ROOT / "data").rglob("*")
                   if p.suffix in (".csv", ".yaml"))
    for file in files:
        assert file in sections, f"data/{readme} has no section for {file}"
    for name, model in TABLES.items():
        missing = set(model.model_fields) - sections[f"data/{name}.csv"]
        assert not missing, f"data/{name}.csv: columns not described in {readme}: {sorted(missing)}"
    for name in DOCUMENTS:
        assert f"data/{name}.yaml" in sections


def test_every_data_file_has_a_schema():
    registered = {f"{n}.csv" for n in TABLES} | {f"{n}.yaml" for n in DOCUMENTS}
    files = {p.relative_to(ROOT / "data").as_posix() for p in (ROOT / "data").rglob("*")
             if p.suffix in (".csv", ".yaml")}
    assert files == registered


def test_tables_say_where_their_numbers_come_from():
    for name, model in TABLES.items():
        assert "source" in model.model_fields, f"{name} has no source column"


def test_code_passes_the_linter():
    """ruff with the project's rule set (pyproject.toml) over the package, tests and benchmarks."""
    import subprocess
    import sys

    run = subprocess.run([sys.executable, "-m", "ruff", "check", "--output-format", "concise",
                          "ovop_course", "tests", "benchmarks", "conftest.py"],
                         cwd=ROOT, capture_output=True, text=True)
    assert run.returncode == 0, run.stdout


def test_formulas_doc_names_only_functions_that_exist():
    """docs/formulas.md names the function of every formula; a renamed one must not go stale."""
    import importlib

    text = (ROOT / "docs" / "formulas.md").read_text(encoding="utf-8")
    modules = "|".join([*rooms(), *SHARED])
    refs = set(re.findall(rf"`((?:{modules})\.[A-Za-z_.]+)`", text))
    assert len(refs) >= 30
    for ref in sorted(refs):
        module, *names = ref.split(".")
        obj = importlib.import_module(f"ovop_course.steps.{module}")
        for name in names:
            assert hasattr(obj, name), f"docs/formulas.md names {ref}, which does not exist"
            obj = getattr(obj, name)
