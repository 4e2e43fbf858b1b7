# plvgov — two commands on a fresh machine: `make demo` and `make test`.
# The virtual environment is built from uv.lock whenever it is missing or stale.
# uv itself is installed from PyPI into .tools/; it never downloads a Python build.

PYTHON ?= python3
UV_VERSION := 0.13.9
UV := .tools/bin/uv
VENV := .venv
STAMP := $(VENV)/.synced
APP_STAMP := $(VENV)/.synced-app
export UV_PYTHON_DOWNLOADS := never
export UV_PROJECT_ENVIRONMENT := $(VENV)
# Precompile bytecode at install: with PYTHONDONTWRITEBYTECODE set (as on CI), every command
# would otherwise compile SQLAlchemy from source at each start (about 1.3 s).
export UV_COMPILE_BYTECODE := 1

.PHONY: venv demo test test-fast lint bench docs clean

venv: $(STAMP)

$(UV):
	$(PYTHON) -m venv .tools
	.tools/bin/python -m pip install --quiet "uv==$(UV_VERSION)"

# Everything, the test and lint tools included (make test, lint, docs, bench).
$(STAMP): pyproject.toml uv.lock | $(UV)
	$(UV) sync --frozen --quiet --python $(PYTHON)
	@touch $@ $(APP_STAMP)

# Only what plvgov itself needs (make demo); --inexact keeps the tools a full sync installed.
$(APP_STAMP): pyproject.toml uv.lock | $(UV)
	$(UV) sync --frozen --no-dev --inexact --quiet --python $(PYTHON)
	@touch $@

demo: $(APP_STAMP)
	$(VENV)/bin/plvgov demo --dir .

test: $(STAMP)
	$(VENV)/bin/python -m pytest -q $(PYTEST_ARGS)

test-fast: $(STAMP)
	$(VENV)/bin/python -m pytest -q -m "not slow" -x $(PYTEST_ARGS)

lint: $(STAMP)
	$(VENV)/bin/ruff check plvgov tests benchmarks
	$(VENV)/bin/ruff format --check plvgov tests benchmarks
	$(VENV)/bin/mypy plvgov benchmarks
	$(VENV)/bin/lint-imports --no-cache

docs: $(STAMP)  # docs/cli.md from the commands' own help
	$(VENV)/bin/cog -r docs/cli.md

bench: $(STAMP)
	$(VENV)/bin/python -m benchmarks $(BENCH_ARGS)

clean:
	rm -rf $(VENV) .tools .pytest_cache .mypy_cache .ruff_cache
