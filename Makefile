# lenrnews: `make run` serves the site on http://127.0.0.1:8000, `make test` runs the suite.

VENV := .venv
PY := $(VENV)/bin/python
# The first Python >= 3.12 on PATH, or one installed by pyenv.
PYTHON ?= $(shell for p in python3.14 python3.13 python3.12 python3 $$(ls -d $$HOME/.pyenv/versions/3.1[2-9]*/bin/python3 2>/dev/null | sort -rV); do \
	$$p -c 'import sys; assert sys.version_info >= (3, 12)' >/dev/null 2>&1 && { command -v $$p; break; }; done)
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run demo test lint types bench editor worker clean

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

# A second database filled by generate_data at a modest size, served with a banner on
# every page saying the data is synthetic: every chart, timeline and network has data.
DEMO_DB := $(CURDIR)/var/demo.sqlite3
DEMO_ENV := DATABASE_URL=sqlite:///$(DEMO_DB) SYNTHETIC_DATA=1
DEMO_SIZES := --organizations 300 --people 400 --technologies 150 --sources 600 --articles 600 \
	--investments 600 --stakes 500 --affiliations 500 --events 400

demo: $(VENV)/.runtime
	$(DEMO_ENV) $(PY) manage.py migrate --noinput
	test -e var/demo.filled -a -e $(DEMO_DB) || { $(DEMO_ENV) $(PY) manage.py generate_data $(DEMO_SIZES) && touch var/demo.filled; }
	$(DEMO_ENV) DEBUG=1 $(PY) manage.py runserver $(HOST):$(PORT)

# Plain pytest: two workers, as pyproject.toml says (PYTEST_ARGS="-n 0" for one process).
test: $(VENV)/.dev
	$(PY) manage.py makemigrations --check --dry-run
	$(PY) -m pytest $(PYTEST_ARGS)

lint: $(VENV)/.dev
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/lint-imports

types: $(VENV)/.dev
	$(VENV)/bin/mypy .

editor: $(VENV)/.runtime
	$(PY) manage.py migrate --noinput
	$(PY) manage.py createsuperuser

# Runs the background tasks (mention re-detection) stored in the database; production
# stores them there (DEBUG=0, or TASKS_BACKEND=django_tasks_db.DatabaseBackend).
worker: $(VENV)/.runtime
	$(PY) manage.py migrate --noinput
	$(PY) manage.py db_worker $(WORKER_ARGS)

bench: $(VENV)/.dev
	$(PY) benchmarks/run.py $(BENCH_ARGS)
	@# What the charts cost, on the PostgreSQL data run.py just generated (skipped without PostgreSQL).
	-DATABASE_URL=$${BENCH_DATABASE_URL:-postgres://postgres@127.0.0.1:5432/lenrnews_bench} DEBUG=0 \
	  SECRET_KEY=$$($(PY) -c "import secrets; print(secrets.token_urlsafe(60))") ALLOWED_HOSTS=testserver \
	  ALLOW_PER_PROCESS_CACHE=1 SECURE_SSL_REDIRECT=0 $(PY) benchmarks/charts.py

clean:
	rm -rf $(VENV) var staticfiles
