# Two commands on a fresh machine with Python 3.11+: `make demo` and `make test`.
# Each creates .venv and installs what it needs by itself.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin

.PHONY: demo run test lint i18n bench migrate clean

$(VENV)/.stamp-app: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -e .
	touch $@

$(VENV)/.stamp-test: $(VENV)/.stamp-app
	$(BIN)/python -m pip install -q -e ".[test]"
	touch $@

demo: $(VENV)/.stamp-app ## chat with the bot in this terminal, offline
	$(BIN)/noticebot demo

run: $(VENV)/.stamp-app ## run the real bot (needs BOT_TOKEN in .env)
	$(BIN)/noticebot run

migrate: $(VENV)/.stamp-app
	$(BIN)/noticebot migrate

# The suite in two phases: most tests spread over TEST_WORKERS pytest-xdist processes, then the
# `serial` ones (fault, crash and rate tests) one by one. Exit code 5 ("no tests") is fine: a
# PYTEST_ARGS selection may hold no test of one phase.
TEST_WORKERS ?= 3
PYTEST := $(BIN)/python -m pytest -q -p no:cacheprovider

test: $(VENV)/.stamp-test ## the whole suite (PostgreSQL/Redis tests skip when those are absent)
	$(PYTEST) -n $(TEST_WORKERS) --dist loadgroup -m "not serial" $(PYTEST_ARGS) || [ $$? -eq 5 ]
	$(PYTEST) -m serial $(PYTEST_ARGS) || [ $$? -eq 5 ]

lint: $(VENV)/.stamp-test
	$(BIN)/ruff check .
	$(BIN)/mypy

# Regenerate the gettext template and catalogs after changing user-facing text.
i18n: $(VENV)/.stamp-app
	$(BIN)/pybabel extract -F babel.cfg -k _ -k __ -k lazy_gettext -k ngettext:1,2 --no-location --sort-output -o bot/locales/messages.pot .
	$(BIN)/pybabel update -i bot/locales/messages.pot -d bot/locales -D messages --no-fuzzy-matching
	$(BIN)/pybabel compile -d bot/locales -D messages --statistics

bench: $(VENV)/.stamp-test
	$(BIN)/python bench/parse.py --json
	$(BIN)/python bench/ics_feed.py --json
	$(BIN)/python bench/intake.py --json
	$(BIN)/python bench/reminders.py --json
	$(BIN)/python bench/reader_accuracy.py
	$(BIN)/python bench/intake_lag.py

clean:
	rm -rf $(VENV) *.egg-info demo-files
