# Civia — common tasks. `make demo` and `make test` work on a fresh machine.
VENV := .venv
PY := $(VENV)/bin/python

.PHONY: install install-dev demo serve test test-fast lint bench clean

install:
	scripts/install.sh

install-dev:
	scripts/install.sh dev

demo: install  ## Install, load Commune de Démoville and serve on http://127.0.0.1:8000
	CIVIA_MODE=demo $(PY) -m civia.cli demo load
	CIVIA_MODE=demo $(PY) -m civia.cli serve --host 127.0.0.1 --port 8000

serve:
	$(PY) -m civia.cli serve

test: install-dev  ## Install everything and run the whole suite (SQLite, PostgreSQL, model, browser)
	$(PY) -m pytest -n 2 --dist loadgroup --durations=25

test-fast:  ## Skip tests that call the real model, a llama.cpp server or the browser
	$(PY) -m pytest -n 2 --dist loadgroup -m "not model and not llama_server and not browser"

lint:
	$(VENV)/bin/ruff check civia tests bench
	$(VENV)/bin/ruff format --check civia tests bench
	$(VENV)/bin/mypy civia

bench:
	$(PY) bench/run_all.py

clean:
	rm -rf var .pytest_cache .mypy_cache .ruff_cache
