# mcc developer entry points.  `make run` and `make test` work on a fresh
# Debian machine with Python 3.11 (see README.md).
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin

# The engine modules compiled with mypyc (src/mccompiler/m4/native.py).
NATIVE_SOURCES := $(addprefix src/mccompiler/m4/,inputs.py syntax.py output.py engine.py builtins.py)
NATIVE := $(VENV)/.native-engine

.PHONY: run test lint oracles bench clean

$(BIN)/mcc: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -e '.[native]'
	PYTHONDONTWRITEBYTECODE= $(BIN)/python -m compileall -q src >/dev/null
	$(BIN)/python -m mccompiler.m4.precompiled >/dev/null
	$(BIN)/python -m mccompiler.lint.vocab_cache >/dev/null
	touch $@

# The compiled engine, rebuilt when its sources change.  Without a C compiler
# it is not built and mcc runs as Python (slower, same output).
$(NATIVE): $(BIN)/mcc $(NATIVE_SOURCES)
	@if $(BIN)/python -m mccompiler.m4.native_build >/dev/null; then touch $@; \
	else echo "mcc runs as Python: the compiled engine was not built"; fi

$(VENV)/.test-extras: $(BIN)/mcc
	$(BIN)/pip install -q -e '.[test]'
	$(BIN)/pip install -q -e '.[maps]' || \
	    echo "berkeleydb binding not built (needs libdb-dev): mcc make falls back to makemap"
	touch $@

run: $(BIN)/mcc $(NATIVE)
	$(BIN)/mcc examples/sendmail.mc

oracles:
	@sh scripts/install-oracles.sh

test: oracles $(VENV)/.test-extras $(NATIVE)
	$(BIN)/python -m pytest -n 2 $(PYTEST_ARGS)
	@# The engine's own suites once more on the Python engine (the compiled one's source).
	MCC_PURE_PYTHON=1 $(BIN)/python -m pytest -n 2 $(PYTEST_ARGS) tests/m4 tests/m4_manual

lint: $(VENV)/.test-extras
	$(BIN)/ruff check src tests benchmarks
	$(BIN)/mypy

bench: oracles $(VENV)/.test-extras $(NATIVE)
	@# Time the code as it is now: fresh bytecode and stored patterns.
	PYTHONDONTWRITEBYTECODE= $(BIN)/python -m compileall -q src >/dev/null
	$(BIN)/python -m mccompiler.m4.precompiled >/dev/null
	$(BIN)/python benchmarks/bench_compile.py

clean:
	rm -rf $(VENV) build dist src/*.egg-info src/mccompiler/m4/_native
