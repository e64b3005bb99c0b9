# Trajectory: the two commands are `make run` and `make test` (see README.md).
PYTHON ?= python3.12
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000
DEMO_ARGS ?=
OFFICIAL_DATA ?=

BENCH_DB ?= postgres://postgres@127.0.0.1:5432/trajectory_bench
BENCH_ARGS ?=

.PHONY: run test lint format bench bench-sqlite load frontend venv demo clean browser

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

test: venv frontend browser
	$(BIN)/pytest

# The browser tests (tests/browser) drive Debian's Chromium through Playwright. Where there is no
# Chromium and make runs as root, install it. Best effort, never failing the build: without a
# Chromium those tests skip, saying why.
browser:
	-@command -v chromium >/dev/null 2>&1 || command -v chromium-browser >/dev/null 2>&1 || \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
	    echo "No Chromium: installing Debian's for the browser tests"; \
	    apt-get install -y -qq chromium >/dev/null 2>&1 || \
	      { apt-get update -qq && apt-get install -y -qq chromium >/dev/null; } || \
	      echo "Chromium could not be installed: the browser tests will skip"; \
	  else \
	    echo "No Chromium: the browser tests will skip (as root: apt-get install -y chromium)"; \
	  fi

lint: venv
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy
	$(BIN)/lint-imports

format: venv
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

# The benchmark runs in a database of its own: never the one `make run` uses.
bench: venv frontend
	-createdb -h 127.0.0.1 -U postgres trajectory_bench 2>/dev/null
	DATABASE_URL=$(BENCH_DB) DJANGO_DEBUG=0 DJANGO_ALLOWED_HOSTS=127.0.0.1 \
	  sh -c '$(BIN)/python manage.py migrate --noinput -v0 && \
	  $(BIN)/python manage.py benchmark $(if $(wildcard ../shared/data/official),--official ../shared/data/official) $(BENCH_ARGS)'

# A bounded load test against gunicorn on 127.0.0.1 (run `make bench` first to load the data).
load: venv frontend
	bash scripts/loadtest.sh

bench-sqlite: venv frontend
	rm -f /tmp/trajectory-bench.sqlite3
	DATABASE_URL=sqlite:////tmp/trajectory-bench.sqlite3 DJANGO_DEBUG=0 DJANGO_ALLOWED_HOSTS=127.0.0.1 \
	  sh -c '$(BIN)/python manage.py migrate --noinput -v0 && \
	  $(BIN)/python manage.py benchmark $(if $(wildcard ../shared/data/official),--official ../shared/data/official) --output bench-results-sqlite.json $(BENCH_ARGS)'

clean:
	rm -rf $(VENV) node_modules static/vendor static/build db.sqlite3

# The production configuration on this machine: checks, collectstatic, migrations, the cache
# table, then gunicorn (config/gunicorn.conf.py). Needs DJANGO_SECRET_KEY, DJANGO_ALLOWED_HOSTS
# and DATABASE_URL in the environment; see README, "Running it for real".
.PHONY: serve
serve: venv frontend
	DJANGO_SETTINGS_MODULE=config.settings.production HOST=$(HOST) PORT=$(PORT) sh -c '\
	  $(BIN)/python manage.py check --deploy --fail-level WARNING && \
	  $(BIN)/python manage.py collectstatic --noinput -v0 && \
	  $(BIN)/python manage.py migrate --noinput && \
	  $(BIN)/python manage.py createcachetable && \
	  exec $(BIN)/gunicorn -c config/gunicorn.conf.py config.wsgi'
