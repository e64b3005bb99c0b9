# Trajectory: the two commands are `make run` and `make test` (see README.md).
PYTHON ?= python3.12
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000
DEMO_ARGS ?=
OFFICIAL_DATA ?=

.PHONY: run test lint format bench frontend venv demo clean

$(BIN)/.installed: pyproject.toml requirements.lock
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -c requirements.lock -e ".[dev]"
	touch $@

venv: $(BIN)/.installed

static/build/trajectory.css: package.json package-lock.json scripts/build_frontend.sh $(wildcard static/scss/*.scss)
	bash scripts/build_frontend.sh

frontend: static/build/trajectory.css

demo: venv frontend
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py load_demo $(DEMO_ARGS)
	$(BIN)/python manage.py import_evidence
	@if [ -n "$(OFFICIAL_DATA)" ]; then $(BIN)/python manage.py import_official "$(OFFICIAL_DATA)"; fi

run: demo
	$(BIN)/python manage.py runserver $(HOST):$(PORT)

test: venv frontend
	$(BIN)/pytest

lint: venv
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy

format: venv
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

clean:
	rm -rf $(VENV) node_modules static/vendor static/build db.sqlite3
