# mcc developer entry points.  `make run` and `make test` work on a fresh
# Debian machine with Python 3.11 (see README.md).
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin

.PHONY: run test lint oracles bench clean

$(BIN)/mcc: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -e .
	PYTHONDONTWRITEBYTECODE= $(BIN)/python -m compileall -q src >/dev/null
	$(BIN)/python -m mccompiler.m4.precompiled >/dev/null
	$(BIN)/python -m mccompiler.lint.vocab_cache >/dev/null
	touch $@

$(VENV)/.test-extras: $(BIN)/mcc
	$(BIN)/pip install -q -e '.[test]'
	$(BIN)/pip install -q -e '.[maps]' || \
	    echo "berkeleydb binding not built (needs libdb-dev): mcc make falls back to makemap"
	touch $@

run: $(BIN)/mcc
	$(BIN)/mcc examples/sendmail.mc

oracles:
	@sh scripts/install-oracles.sh

test: oracles $(VENV)/.test-extras
	$(BIN)/python -m pytest -n 2 $(PYTEST_ARGS)

lint: $(VENV)/.test-extras
	$(BIN)/ruff check src tests benchmarks
	$(BIN)/mypy

bench: oracles $(VENV)/.test-extras
	@# Time the code as it is now: fresh bytecode and stored patterns.
	PYTHONDONTWRITEBYTECODE= $(BIN)/python -m compileall -q src >/dev/null
	$(BIN)/python -m mccompiler.m4.precompiled >/dev/null
	$(BIN)/python benchmarks/bench_compile.py

clean:
	rm -rf $(VENV) build dist src/*.egg-info
