# The two commands a newcomer needs: `make run` and `make test`. Everything else is for developers.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV   := .venv
BIN    := $(VENV)/bin
export FLASK_APP := clinic_finder

# Where `make run` serves: `make run PORT=8080`, `make run HOST=0.0.0.0`. PORT may also come from the environment;
# HOST only from the command line, because tcsh and zsh set HOST to the machine's name, and serving on that would
# open the development server to the network.
PORT ?= 5000
HOST := 127.0.0.1

.PHONY: run test test-postgres lint bench load secret install clean

$(BIN)/python:
	@echo "Creating the virtualenv in $(VENV) with $(PYTHON)…"
	$(PYTHON) -m venv $(VENV)
	@echo "Upgrading pip in the virtualenv…"
	$(BIN)/python -m pip install --upgrade pip

# Reinstall whenever the dependency list changes.
$(VENV)/.installed: setup.cfg setup.py pyproject.toml | $(BIN)/python
	@echo "Installing dependencies (about a minute the first time)…"
	$(BIN)/python -m pip install -e '.[test,dev]'
	touch $@

install: $(VENV)/.installed

instance/secret_key:
	@echo "Writing a local SECRET_KEY to $@…"
	mkdir -p instance
	$(BIN)/python -c "import secrets; print(secrets.token_hex(32))" > $@
	chmod 600 $@

secret: instance/secret_key

## Serve the app on http://$(HOST):$(PORT) (127.0.0.1:5000 unless given) with SQLite and the fictional demo data.
run: install instance/secret_key
	@echo "Applying the database migrations…"
	$(BIN)/flask db upgrade
	@echo "Loading the fictional demo data…"
	$(BIN)/flask seed-demo
	@# A database made before the stored trust summary (migration 0010) gets its summaries once; afterwards a no-op.
	$(BIN)/flask data refresh-summaries
	@echo "Serving on http://$(HOST):$(PORT)/ (Ctrl-C stops it)…"
	SESSION_COOKIE_SECURE=0 $(BIN)/flask run --host $(HOST) --port $(PORT)

## Run the whole test suite (SQLite; set TEST_DATABASE_URL for PostgreSQL).
test: install
	$(BIN)/python -m pytest

lint: install
	$(BIN)/ruff check clinic_finder tests bench scripts setup.py

## Search and import benchmarks (see bench/README.md); BENCH_ARGS="--sizes 10000,100000,1000000" for the full run.
BENCH_ARGS ?= --sizes 10000,100000 --queries 200
IMPORT_BENCH_ARGS ?= --csv-rows 100000 --nppes-rows 1000000
bench: install
	$(BIN)/python bench/search_bench.py $(BENCH_ARGS)
	$(BIN)/python bench/import_bench.py $(IMPORT_BENCH_ARGS)

## Load benchmark (see bench/README.md): gunicorn on one core, locust on the other; SQLite and PostgreSQL, then nginx.
LOAD_ARGS ?=
load: install
	$(BIN)/python bench/load.py $(LOAD_ARGS)

clean:
	rm -rf $(VENV) *.egg-info .pytest_cache build dist
