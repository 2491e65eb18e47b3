# lenrnews: `make run` serves the site on http://127.0.0.1:8000, `make test` runs the suite.

VENV := .venv
PY := $(VENV)/bin/python
# The first Python >= 3.12 on PATH, or one installed by pyenv.
PYTHON ?= $(shell for p in python3.14 python3.13 python3.12 python3 $$(ls -d $$HOME/.pyenv/versions/3.1[2-9]*/bin/python3 2>/dev/null | sort -rV); do \
	$$p -c 'import sys; assert sys.version_info >= (3, 12)' >/dev/null 2>&1 && { command -v $$p; break; }; done)
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run test lint bench editor clean

$(PY):
	@test -n "$(PYTHON)" || { echo "No Python >= 3.12 found: set PYTHON=/path/to/python3.12+"; exit 1; }
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip

$(VENV)/.runtime: requirements.txt | $(PY)
	$(PY) -m pip install --quiet -r requirements.txt
	@touch $@

$(VENV)/.dev: requirements.txt requirements-dev.txt | $(PY)
	$(PY) -m pip install --quiet -r requirements-dev.txt
	@touch $@ $(VENV)/.runtime

run: $(VENV)/.runtime
	$(PY) manage.py migrate --noinput
	$(PY) manage.py load_demo
	DEBUG=1 $(PY) manage.py runserver $(HOST):$(PORT)

test: $(VENV)/.dev
	$(PY) manage.py makemigrations --check --dry-run
	TESTING=1 $(PY) -m pytest $(PYTEST_ARGS)

lint: $(VENV)/.dev
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

editor: $(VENV)/.runtime
	$(PY) manage.py migrate --noinput
	$(PY) manage.py createsuperuser

bench: $(VENV)/.dev
	$(PY) benchmarks/run.py $(BENCH_ARGS)

clean:
	rm -rf $(VENV) var staticfiles
