# Two commands: `make run` sets everything up and serves; `make test` runs lint and the suite.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
# The Nu HTML Checker (the W3C's validator) for tests/test_html.py, from npm, run with Java.
VNU_JAR := $(VENV)/vnu/node_modules/vnu-jar/build/dist/vnu.jar

.PHONY: run test install messages

install: $(VENV)/.installed

$(VENV)/.installed: pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $@

run: install
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py seed_catalogue
	$(BIN)/python manage.py runserver 127.0.0.1:$(PORT)

$(VNU_JAR):
	npm install --prefix $(VENV)/vnu --no-save --no-audit --no-fund --loglevel=error vnu-jar@26.9.27

test: install $(VNU_JAR)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/python manage.py makemigrations --check --dry-run
	$(BIN)/pytest

# After changing interface text: update the Indonesian catalogues (no source locations, so that
# parallel changes rarely conflict), translate the new entries, then compile them.
messages: install
	$(BIN)/python manage.py makemessages -l id --no-location --no-obsolete --ignore=tests --ignore=.venv
	$(BIN)/python manage.py compilemessages -l id --ignore=.venv
