# The README's two commands: `make run` and `make test`. Each creates .venv on first use and installs what it needs.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
PORT ?= 8501

.PHONY: run test unit app e2e lint typecheck check clean fuzz

$(STAMP): pyproject.toml constraints.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -c constraints.txt -e '.[dev]'
	touch $(STAMP)

run: $(STAMP)
	$(BIN)/streamlit run app.py --server.port $(PORT)

test: $(STAMP)
	$(BIN)/python scripts/ensure_browser.py
	$(BIN)/python -m pytest

# The fast inner loop: the pure core and the CLI, no Streamlit session, no browser.
unit: $(STAMP)
	$(BIN)/python -m pytest tests/unit

app: $(STAMP)
	$(BIN)/python -m pytest tests/app

e2e: $(STAMP)
	$(BIN)/python scripts/ensure_browser.py
	$(BIN)/python -m pytest tests/e2e

# The long fuzzing run (ten minutes of random search over the ingest adapters; `make test` runs a short, fixed one).
FUZZ_SECONDS ?= 600
fuzz: $(STAMP)
	IGF_FUZZ_SECONDS=$(FUZZ_SECONDS) IGF_FUZZ_RANDOM=1 $(BIN)/python -m pytest tests/fuzz --timeout=0

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

typecheck: $(STAMP)
	$(BIN)/mypy

check: $(STAMP)
	$(BIN)/igf-explorer check

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache
