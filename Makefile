# aqb-rdf: `make run` builds and validates the default dataset and serves it on
# http://127.0.0.1:8000/ (HOST and PORT to change); `make test` runs the linter, the type
# checker and every test; `make test-fast` only the tests not marked slow (no server, browser,
# store or subprocess: see the `slow` marker in pyproject.toml).
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
# HOST and PORT empty: the defaults of serve.host and serve.port (src/aqb_rdf/config.py), or
# AQB_SERVE_HOST and AQB_SERVE_PORT.
HOST   ?=
PORT   ?=

.PHONY: install run build demo lint test test-fast golden bench clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test]'
	touch $(STAMP)

install: $(STAMP)

build: $(STAMP)
	$(BIN)/aqb-rdf build data/agreements --out dist

run: build
	$(BIN)/aqb-rdf summary dist
	$(BIN)/aqb-rdf serve dist $(if $(HOST),--host $(HOST)) $(if $(PORT),--port $(PORT))

# The synthetic corpus (the 26 real regions × 2014–2026, invented figures) built under its
# own base IRI into demo/dist and served; it never touches data/ or dist/.
demo: $(STAMP)
	$(BIN)/python -m aqb_rdf.demo --folder demo $(if $(PORT),--port $(PORT))

lint: $(STAMP)
	$(BIN)/ruff check src tests benchmarks
	$(BIN)/ruff format --check src tests benchmarks
	$(BIN)/mypy
	$(BIN)/lint-imports

test: lint
	$(BIN)/pytest

test-fast: $(STAMP)
	$(BIN)/pytest -m "not slow"

# Rewrite tests/golden/*/expected.ttl from the mapping as it is now, for review (see
# tests/golden/README.md); the tests only compare.
golden: $(STAMP)
	$(BIN)/python tests/golden/rewrite.py

bench: $(STAMP)
	$(BIN)/python benchmarks/build.py
	$(BIN)/python benchmarks/serve.py

clean:
	rm -rf dist .pytest_cache
