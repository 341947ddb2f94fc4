# Two commands matter: `make demo` and `make test`. Both create .venv and install tidings.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp
DB ?= sqlite:///tidings.db

.PHONY: install demo test lint eval bench clean

$(STAMP): pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "tidings needs Python 3.11 or newer")'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[dev]"
	@touch $(STAMP)

install: $(STAMP)

# Codes the bundled sample corpus into tidings.db, prints a summary, merges reports of the
# same event, then serves the dashboard (Ctrl-C stops it; SERVE=0 skips it).
SERVE ?= 1
PORT ?= 8000
demo: install
	$(BIN)/tidings ingest samples/ --db $(DB)
	$(BIN)/tidings summary --db $(DB)
	$(BIN)/tidings cluster --db $(DB)
	@if [ "$(SERVE)" = "1" ]; then \
	  echo "Dashboard and API: http://127.0.0.1:$(PORT)/  (Ctrl-C to stop)"; \
	  $(BIN)/tidings serve --db $(DB) --port $(PORT); \
	fi

test: install
	$(BIN)/python -m pytest -q

lint: install
	$(BIN)/ruff check src tests bench

eval: install
	$(BIN)/tidings eval plover-gsr

bench: install
	$(BIN)/python bench/throughput.py
	$(BIN)/python bench/stages_eval.py
	$(BIN)/python bench/cluster_eval.py
	$(BIN)/python bench/gazetteer_bench.py

clean:
	rm -rf $(VENV) tidings.db tidings.db-wal tidings.db-shm bench/out
