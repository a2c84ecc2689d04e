# Two commands matter: `make run` (set up and serve) and `make test` (the whole suite).
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
# Reinstalled when either list changes.
STAMP := $(VENV)/.installed-$(shell cat requirements.txt requirements-dev.txt | cksum | cut -d' ' -f1)
export DJANGO_SETTINGS_MODULE ?= config.settings.dev
# `make run` serves on this port: `PORT=8100 make run` or `make run PORT=8100`.
PORT ?= 8000

.PHONY: install run serve test test-unit test-e2e lint format bench prod-smoke messages

$(STAMP): requirements.txt requirements-dev.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements-dev.txt
	rm -f $(VENV)/.installed-*
	touch $(STAMP)

install: $(STAMP)

run: install
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py seed_demo
	$(BIN)/python manage.py runserver 127.0.0.1:$(PORT)

test: test-unit test-e2e

# The unit suite runs in parallel processes (pytest-xdist): TEST_WORKERS=auto is one per
# core; TEST_WORKERS=0 runs it in this process (for a debugger).
TEST_WORKERS ?= auto

# Browser journeys run in their own process: Playwright's event loop would upset
# Django's async-to-sync bridge in the rest of the suite.
test-unit: install
	DJANGO_SETTINGS_MODULE=config.settings.test $(BIN)/pytest --ignore=tests/e2e -p no:playwright -n $(TEST_WORKERS)

# Two journeys at a time: a journey waits on its browser and live server more than on the
# CPU. Each process has its own test database, live server and Chromium; a file's journeys
# stay in one process (--dist loadfile). E2E_WORKERS=0 runs them in this process.
E2E_WORKERS ?= 2

test-e2e: install
	DJANGO_SETTINGS_MODULE=config.settings.test $(BIN)/pytest tests/e2e -n $(E2E_WORKERS) --dist loadfile

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/python manage.py check --fail-level WARNING
	$(BIN)/python manage.py makemigrations --check --dry-run

format: install
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

bench: install
	$(BIN)/python bench/run.py

# The Procfile's processes with production settings on loopback, against PostgreSQL and
# Redis (PROD_SMOKE_POSTGRES, PROD_SMOKE_REDIS): see deploy/prod_smoke.py.
prod-smoke: install
	$(BIN)/python deploy/prod_smoke.py

# Needs GNU gettext (Debian: gettext). The compiled .mo files are committed, so a
# fresh machine needs nothing extra to show the translations.
messages: install
	for app in lms base cms courses quizzes certification schedule notifications discussions evaluations gradebook assignments; do \
		(cd $$app && PYTHONPATH=$(CURDIR) ../$(BIN)/django-admin makemessages --locale kk --locale ru --no-obsolete --no-location --ignore 'static/*') || exit 1; \
	done
	$(BIN)/python manage.py compilemessages --ignore .venv
