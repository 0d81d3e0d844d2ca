# Two commands for a fresh machine with Python 3.11+ (see README.md):
#   make lab   — create .venv if needed, install the course, open JupyterLab at module 0
#   make test  — create .venv if needed, run every test tier
#   make bench — measure speed and memory against the targets (docs/performance.md)
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp

.PHONY: lab test bench

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[test]"
	touch $(STAMP)

lab: $(STAMP)
	$(BIN)/ovop-course lab

test: $(STAMP)
	$(BIN)/python -m pytest

bench: $(STAMP)
	$(BIN)/python -m benchmarks --update-docs
