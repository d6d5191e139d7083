# The two commands of the README: `make run` and `make test`. Everything else is a helper for them.
PYTHON ?= python3
VENV   ?= .venv
PY     := $(VENV)/bin/python
PIP    := $(VENV)/bin/pip
STAMP  := $(VENV)/.installed-$(shell cat requirements.txt requirements-dev.txt | cksum | cut -d' ' -f1)
HOST   ?= 127.0.0.1
PORT   ?= 8000

.PHONY: run test setup migrate demo worker beat web benchmark benchmark-export clean

$(STAMP): requirements.txt requirements-dev.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PIP) install --quiet --upgrade pip
	$(PIP) install --quiet -r requirements-dev.txt
	rm -f $(VENV)/.installed-* && touch $@

setup: $(STAMP)

migrate: setup
	$(PY) manage.py migrate --noinput

demo: migrate
	$(PY) manage.py seed_demo

## Set up and run the web app, a Celery worker and beat, with demo data, on the embedded default.
run: demo
	@echo ""
	@echo "  Buka http://$(HOST):$(PORT)/ — login di atas (mis. kec.gorom / bangkit-demo-2024). Ctrl+C untuk berhenti."
	@echo ""
	HOST=$(HOST) PORT=$(PORT) $(VENV)/bin/honcho start -f Procfile.dev

## Set up and run the whole test suite (uses DATABASE_URL / REDIS_URL when set).
test: setup
	scripts/ensure_browser.sh  # Debian's chromium + axe-core for tests/browser (a no-op once there)
	$(PY) -m pytest $(PYTEST_ARGS)

web: migrate
	$(PY) manage.py runserver $(HOST):$(PORT)

worker: setup
	$(VENV)/bin/celery -A config worker --loglevel=INFO --concurrency=2

beat: setup
	$(VENV)/bin/celery -A config beat --loglevel=INFO

## Benchmarks (see docs/performance.md); use PostgreSQL via DATABASE_URL.
benchmark: setup
	$(PY) manage.py benchmark --cases $${CASES:-100000} --json benchmark-$${CASES:-100000}.json

benchmark-export: setup
	$(PY) manage.py benchmark_export_register --cases $${CASES:-100000}

clean:
	rm -rf var staticfiles
