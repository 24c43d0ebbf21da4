# The two commands a newcomer needs: `make run` and `make test`. Everything else is for developers.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV   := .venv
BIN    := $(VENV)/bin
export FLASK_APP := clinic_finder

.PHONY: run test test-postgres lint bench secret install clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

# Reinstall whenever the dependency list changes.
$(VENV)/.installed: setup.cfg pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e '.[test,dev]'
	touch $@

install: $(VENV)/.installed

instance/secret_key:
	mkdir -p instance
	$(BIN)/python -c "import secrets; print(secrets.token_hex(32))" > $@
	chmod 600 $@

secret: instance/secret_key

## Serve the app on http://127.0.0.1:5000 with SQLite and the fictional demo data.
run: install instance/secret_key
	$(BIN)/flask db upgrade
	$(BIN)/flask seed-demo
	SESSION_COOKIE_SECURE=0 $(BIN)/flask run --host 127.0.0.1 --port 5000

## Run the whole test suite (SQLite; set TEST_DATABASE_URL for PostgreSQL).
test: install
	$(BIN)/python -m pytest

lint: install
	$(BIN)/ruff check clinic_finder tests bench scripts

## Search benchmark (see bench/README.md); BENCH_ARGS="--sizes 10000,100000,1000000" for the full run.
BENCH_ARGS ?= --sizes 10000,100000 --queries 200
bench: install
	$(BIN)/python bench/search_bench.py $(BENCH_ARGS)

clean:
	rm -rf $(VENV) *.egg-info .pytest_cache
