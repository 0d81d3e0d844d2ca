# Two commands for a fresh machine with Python 3.11+ (see README.md):
#   make lab   — create .venv if needed, install the course, open JupyterLab at module 0
#   make test  — create .venv if needed, run every test tier
#   make bench — measure speed and memory against the targets (docs/performance.md)
#   make wheelhouse — every package the course needs (its tests, its build backend too), as
#                     wheels for this platform and Python, in wheelhouse/; where that folder
#                     holds wheels, `make lab` and `make test` install from it alone, without
#                     internet (a course carried on a USB stick: docs/deploy.md)
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp
WHEELHOUSE ?= wheelhouse
OFFLINE := $(if $(wildcard $(WHEELHOUSE)/*.whl),--no-index --find-links $(WHEELHOUSE))

.PHONY: lab test bench wheelhouse

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(if $(OFFLINE),,$(BIN)/python -m pip install --quiet --upgrade pip)
	$(BIN)/python -m pip install --quiet $(OFFLINE) -e ".[test]"
	touch $(STAMP)

lab: $(STAMP)
	$(BIN)/ovop-course lab

test: $(STAMP)
	$(BIN)/python -m pytest

bench: $(STAMP)
	$(BIN)/python -m benchmarks --update-docs

wheelhouse: $(STAMP)
	$(BIN)/python -m pip wheel --quiet --wheel-dir $(WHEELHOUSE) ".[test]" hatchling editables
