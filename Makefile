# Withhold: `make run` serves the app on http://127.0.0.1:8000; `make test` runs the whole suite.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
BENCH_STAMP := $(VENV)/.bench-installed
ASSETS := withhold/static/vendor/.built

.PHONY: run test test-suite lint format bench bench-screening bench-load docs install assets browser \
        serve-worker serve-prod serve-beat access-review clean

run: $(STAMP) $(ASSETS)
	$(BIN)/withhold migrate --noinput
	$(BIN)/withhold load-reference
	$(BIN)/withhold load-demo
	$(BIN)/withhold serve

test: $(STAMP) $(ASSETS) browser test-suite

test-suite:
	$(BIN)/pytest -q

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports
	DJANGO_SETTINGS_MODULE=withhold.settings.test $(BIN)/withhold makemigrations --check --dry-run

format: $(STAMP)
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

docs: $(STAMP)
	DJANGO_SETTINGS_MODULE=withhold.settings.test $(BIN)/withhold data-dictionary --output docs/data-dictionary.md
	DJANGO_SETTINGS_MODULE=withhold.settings.test $(BIN)/withhold clock-rules --output docs/deadlines.md

bench: $(STAMP)
	$(BIN)/python benchmarks/cases.py

# Screening: precision/recall on the labelled set and 1,000,000 lines (no database needed).
# Also installs the benchmark-only extra (nomenklatura's logic-v2, run beside ours).
bench-screening: $(BENCH_STAMP)
	$(BIN)/python benchmarks/screening.py

$(BENCH_STAMP): $(STAMP)
	$(BIN)/python -m pip install --quiet -e '.[test,bench]'
	@touch $@

# Starts gunicorn (production settings) on PostgreSQL and Redis, drives it with
# benchmarks/load.py, stops it. See benchmarks/load-stack.sh for the settings it uses.
bench-load: $(STAMP) $(ASSETS)
	benchmarks/load-stack.sh

install: $(STAMP)

$(STAMP): pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Withhold needs Python 3.11 or newer; set PYTHON=python3.11")'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	@touch $@

assets: $(ASSETS)

$(ASSETS): package.json scripts/build-assets.mjs
	@command -v npm >/dev/null || { echo "Withhold needs Node.js and npm to build its static assets."; exit 1; }
	npm install --no-audit --no-fund --loglevel=error
	node scripts/build-assets.mjs
	@touch $@

# Browser tests drive the system Chromium. Install it where we can (root with apt-get).
browser:
	@if [ -x /usr/bin/chromium ]; then :; \
	elif [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	  echo "Installing Chromium for the browser tests..."; \
	  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null) \
	    || echo "Could not install Chromium: browser tests will be skipped."; \
	else echo "No /usr/bin/chromium: browser tests will be skipped (apt-get install chromium)."; fi

serve-worker: $(STAMP)
	$(BIN)/celery -A withhold worker --loglevel=INFO

serve-beat: $(STAMP)
	mkdir -p var
	$(BIN)/celery -A withhold beat --loglevel=INFO --schedule var/celerybeat-schedule

# Production: gunicorn with the production settings (docs/operations.md). Needs SECRET_KEY,
# WITHHOLD_FIELD_KEYS and DATABASE_URL; CELERY_BROKER_URL and CACHE_URL (Redis) for workers and shared rate limits.
serve-prod: export DJANGO_SETTINGS_MODULE = withhold.settings.production
serve-prod: $(STAMP) $(ASSETS)
	$(BIN)/withhold collectstatic --noinput --verbosity 0
	$(BIN)/withhold migrate --noinput
	$(BIN)/withhold load-reference
	$(BIN)/gunicorn -c python:withhold.operations.gunicorn_conf

# Requests every route as every role on a fresh, throw-away SQLite database.
access-review: $(STAMP)
	@tmp=$$(mktemp -d); \
	DJANGO_SETTINGS_MODULE=withhold.settings.test DATABASE_URL=sqlite:///$$tmp/review.sqlite3 \
	  sh -c '$(BIN)/withhold migrate --noinput -v0 && $(BIN)/withhold access-review --output docs/access-review.md'; \
	rc=$$?; rm -rf $$tmp; exit $$rc

clean:
	rm -rf $(VENV) node_modules withhold/static/vendor staticfiles var
