# regionanalys — run `make help` for the targets.
# Every target sets up .venv first (python3 -m venv + pip install -e '.[dev]'), so a fresh
# clone needs only `make reports` or `make test`.

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-stamp
KERNEL := regionanalys
JOBS   ?=

.DEFAULT_GOAL := help
.PHONY: help setup reports test test-fast lab bench data validate browser clean

help: ## List the targets
	@awk 'BEGIN {FS = ":.*## "; printf "Targets:\n"} /^[a-zA-Z_-]+:.*## / {printf "  make %-10s %s\n", $$1, $$2}' $(MAKEFILE_LIST)

$(STAMP): pyproject.toml
	@test -d $(VENV) || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	$(BIN)/python -m ipykernel install --sys-prefix --name $(KERNEL) --display-name "Python (regionanalys)" >/dev/null
	@touch $(STAMP)

# In a git checkout of this project, nbstripout becomes a git filter: notebook outputs and
# execution counts never reach a commit. Skipped (not an error) outside a git checkout.
setup: $(STAMP) ## Create .venv with the library, the notebook kernel and the test tools
	@if [ "$$(git rev-parse --show-toplevel 2>/dev/null)" = "$$(pwd -P)" ]; then \
		$(BIN)/nbstripout --install && echo "nbstripout: notebookarnas utdata tas bort när de checkas in"; \
	else echo "Inte en git-utcheckning: hoppar över nbstripout-filtret"; fi

reports: $(STAMP) ## Run every report notebook and write reports/index.html
	$(BIN)/regionanalys run $(if $(JOBS),--jobs $(JOBS))
	@echo "Rapporterna: $(CURDIR)/reports/index.html"

test: $(STAMP) browser ## Run the whole test suite (unit, notebooks end to end, bad inputs, browser)
	$(BIN)/python -m pytest

test-fast: $(STAMP) ## Run the tests that do not execute notebooks or a browser
	$(BIN)/python -m pytest -m "not slow and not browser"

lab: $(STAMP) ## Open JupyterLab at the project root (data/, notebooks/, reports/) with the project kernel
	$(BIN)/jupyter lab --ServerApp.root_dir="$(CURDIR)"

bench: $(STAMP) ## Benchmark load() and the report runner (bench/README.md; BENCH_ARGS="--quick" for a smoke run)
	$(BIN)/python bench/run_bench.py $(BENCH_ARGS)

data: $(STAMP) ## Regenerate the example data in data/example/ (fixed seed)
	$(BIN)/python -m regionanalys.data.example_data

validate: $(STAMP) ## Validate everything under data/ and list every problem
	$(BIN)/regionanalys validate data

browser: ## Install Debian's chromium for the browser tests if missing (needs root; otherwise they skip)
	@bash tests/browser_setup.sh

clean: ## Remove the venv, caches and generated reports (keeps data/)
	rm -rf $(VENV) .pytest_cache tests/artifacts
	find . -name __pycache__ -type d -prune -exec rm -rf {} +
	find reports -mindepth 1 ! -name README.md ! -name .regionanalys-reports -exec rm -rf {} +
