# The README's two commands: `make demo` and `make test`. Both create .venv and install on first use.
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
CLI := $(VENV)/bin/infringer-graph
LINT_DIR := tests/cypher_lint

.PHONY: demo test install lint-deps bench clean

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e ".[test,bench]"
	touch $@

install: $(VENV)/.installed

# Neo4j's own Cypher linter (npm), used by the tests to check every statement the Neo4j backend sends.
$(LINT_DIR)/node_modules/.installed: $(LINT_DIR)/package-lock.json
	npm ci --prefix $(LINT_DIR) --no-audit --no-fund --loglevel=error
	touch $@

lint-deps: $(LINT_DIR)/node_modules/.installed

demo: install
	$(CLI) ingest examples/demo-case
	$(CLI) resolve
	$(CLI) dashboard

test: install lint-deps
	$(PY) -m pytest -q

bench: install
	$(PY) -m benchmarks.ingest_rate --rows 100000

clean:
	rm -rf $(VENV) data .pytest_cache .hypothesis $(LINT_DIR)/node_modules
