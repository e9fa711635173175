# The two commands that matter are at the top of README.md: `make run` and `make test`.
SHELL := /bin/bash
VENV := .venv
PY := $(VENV)/bin/python
PYTHON ?= python3
MANAGE := $(PY) manage.py

.PHONY: run setup test lint format typecheck assets messages makemessages bench clean compose-check

run: setup ## Install, build, migrate, seed and serve http://127.0.0.1:8000
	$(MANAGE) runserver 127.0.0.1:8000

setup: $(VENV)/.installed assets messages ## Everything `run` does except serving
	$(MANAGE) migrate --noinput
	$(MANAGE) seed_demo

test: $(VENV)/.installed assets messages ## The whole suite (PostgreSQL/Redis when DATABASE_URL/CELERY_BROKER_URL are set)
	$(PY) -m pytest $(PYTEST_ARGS)

lint: $(VENV)/.installed
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

format: $(VENV)/.installed
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

typecheck: $(VENV)/.installed
	$(VENV)/bin/mypy apps config

$(VENV)/.installed: pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[dev]'
	touch $@

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund
	touch $@

assets: node_modules/.installed ## Third-party CSS/JS from npm into static/vendor (not committed)
	npm run --silent build

messages: $(VENV)/.installed ## Compile the message catalogues
	$(MANAGE) compilemessages --ignore=.venv --ignore=node_modules -v0

makemessages: $(VENV)/.installed ## Refresh the catalogues after changing strings
	$(MANAGE) makemessages -l zh_Hans -l en --ignore=.venv --ignore=node_modules --ignore=static/vendor --no-obsolete

bench: $(VENV)/.installed assets messages ## Figures the issues ask for (see benchmarks/)
	$(PY) -m benchmarks.run

compose-check:
	docker-compose config -q

clean:
	rm -rf $(VENV) node_modules static/vendor staticfiles db.sqlite3
