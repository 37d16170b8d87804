# mutu — the two commands a new user needs: `make run` and `make test`.
SHELL := /bin/bash
.DEFAULT_GOAL := help
VENV := .venv
PY := $(VENV)/bin/python
MANAGE := $(PY) manage.py
PG_URL ?= postgres://postgres@127.0.0.1:5432/mutu
PYTEST_ARGS ?=
export PIP_DISABLE_PIP_VERSION_CHECK := 1

# Find a Python >= 3.12 that really runs (a pyenv shim can exist and still fail).
find_python = for c in python3.13 python3.12 \
	$$(ls -d "$$(pyenv root 2>/dev/null || echo $$HOME/.pyenv)"/versions/3.1[2-9]*/bin/python3 2>/dev/null | sort -rV) \
	python3 python; do \
	  if command -v "$$c" >/dev/null 2>&1 && "$$c" -c 'import sys; sys.exit(sys.version_info < (3, 12))' >/dev/null 2>&1; then \
	    command -v "$$c"; exit 0; fi; done; exit 1

.PHONY: help
help:
	@echo "make run         siapkan venv, migrasi, data wilayah + DEMO, jalankan web + pekerja latar di http://127.0.0.1:8000"
	@echo "make test        seluruh tes di SQLite (dan PostgreSQL bila DATABASE_URL=postgres://...)"
	@echo "make test-quick  tes cepat saat bekerja (tanpa peramban, stack deploy, demo, PDF)"
	@echo "make test-postgres  seluruh tes di PostgreSQL ($(PG_URL))"
	@echo "make lint        ruff (lint + format check) dan mypy"
	@echo "make worker      jalankan pekerja tugas latar (db_worker)"
	@echo "make messages    perbarui dan kompilasi terjemahan"
	@echo "make bench       benchmark formulir SKM vs peer (PostgreSQL, tulis BENCHMARKS.md)"

$(VENV)/.installed: pyproject.toml requirements.lock
	@py=$$($(find_python)) || { echo "mutu butuh Python >= 3.12 (tidak ditemukan)."; \
	  echo "Pasang dulu, misalnya: 'apt-get install python3.13 python3.13-venv' atau 'pyenv install 3.13'."; exit 1; }; \
	  [ -x $(PY) ] && $(PY) -c 'import sys; sys.exit(sys.version_info < (3, 12))' || { rm -rf $(VENV); echo "Membuat $(VENV) dengan $$py"; "$$py" -m venv $(VENV); }
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -r requirements.lock
	$(PY) -m pip install -q --no-deps -e .
	@touch $@

.PHONY: install
install: $(VENV)/.installed

.PHONY: run
run: install
	DEBUG=true $(MANAGE) migrate --noinput
	DEBUG=true $(MANAGE) import_regions
	DEBUG=true MUTU_DEMO=true $(MANAGE) seed_demo
	@echo ""
	@echo "mutu berjalan di http://127.0.0.1:8000 dengan pekerja latar (Ctrl+C menghentikan keduanya)"
	DEBUG=true MUTU_DEMO=true $(MANAGE) runserver_with_worker 127.0.0.1:8000

.PHONY: test
# mutu/indices must stay 100 % branch-covered: the SQLite run measures it and fails below.
INDICES_COVERAGE := --cov=mutu.indices --cov-branch --cov-fail-under=100 --cov-report=term-missing:skip-covered

# tests/deploy always runs its stack on PostgreSQL: with a PostgreSQL pass to come, the SQLite
# pass leaves it to that one instead of starting the same stacks twice.
test: install
	env -u DATABASE_URL $(PY) -m pytest -n auto $(INDICES_COVERAGE) $(PYTEST_ARGS) \
	  $$([[ "$${DATABASE_URL:-}" == postgres* ]] && echo --ignore=tests/deploy)
	@if [[ "$${DATABASE_URL:-}" == postgres* ]]; then \
	  echo "== PostgreSQL: $$DATABASE_URL"; $(PY) -m pytest -n auto $(PYTEST_ARGS); fi

.PHONY: test-quick
test-quick: install  # while working: everything but the browser, deploy, demo and PDF tests
	env -u DATABASE_URL $(PY) -m pytest -n auto -m "not slow" $(PYTEST_ARGS)

.PHONY: test-postgres
test-postgres: install
	DATABASE_URL=$(PG_URL) $(PY) -m pytest -n auto $(PYTEST_ARGS)

.PHONY: lint
lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/mypy mutu/indices --strict
	$(VENV)/bin/mypy mutu config
	$(VENV)/bin/lint-imports

.PHONY: format
format: install
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .

.PHONY: worker
worker: install
	$(MANAGE) db_worker

.PHONY: messages
messages: install
	DEBUG=true $(MANAGE) makemessages -l en --no-obsolete --ignore=.venv --ignore=.bench --ignore=static --ignore=tests --ignore=bench
	DEBUG=true $(MANAGE) compilemessages --ignore=.venv --ignore=.bench

.PHONY: bench
# Peak (USERS zero-think users, mutu and the peer), think time (THINK_USERS users offering 70 % of
# mutu's peak), results (Pemda-year IKM over RESULTS_RESPONSES responses): about 10 minutes.
# The peer (django-survey-and-report from PyPI) is built from bench/peer/; docs/benchmarking.md.
bench: install
	USERS=$${USERS:-50} RUN_TIME=$${RUN_TIME:-30} THINK_USERS=$${THINK_USERS:-200} \
	  THINK_RUN_TIME=$${THINK_RUN_TIME:-60} RESULTS_RESPONSES=$${RESULTS_RESPONSES:-1000000} \
	  bash bench/run.sh

.PHONY: lock
lock: install
	$(VENV)/bin/pip install -q uv && $(VENV)/bin/uv pip compile pyproject.toml --extra dev -o requirements.lock --python-version 3.12

