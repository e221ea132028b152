# tilannekuva: the README's commands. The environment lives in .venv/ and is
# (re)built whenever pyproject.toml (the one dependency declaration) changes.

PYTHON_BOOT ?= $(shell command -v python3.11 || command -v python3)
VENV        := .venv
BIN         := $(VENV)/bin
STAMP       := $(VENV)/.installed
DATA        ?= data
SITE        ?= site

.PHONY: report test lab lock data bench clean lint format env browser chromium

env: $(STAMP)

$(STAMP): pyproject.toml requirements.lock jupyter/lab/settings/overrides.json
	@echo "Setting up the environment in $(VENV)/ (first run only; about a minute)"
	@test -x $(BIN)/python || $(PYTHON_BOOT) -m venv $(VENV)
	@$(BIN)/python -m pip install --quiet --upgrade pip
	@# Exact versions from the lock (`make lock` refreshes it); a dependency added to
	@# pyproject.toml but not yet locked is still installed, and a test flags it.
	@$(BIN)/python -m pip install --quiet -e '.[dev]' -c requirements.lock
	@# JupyterLab: .py notebooks open as notebooks on double-click, the UI in Finnish.
	@mkdir -p $(VENV)/share/jupyter/lab/settings
	@cp jupyter/lab/settings/overrides.json $(VENV)/share/jupyter/lab/settings/overrides.json
	@# The project kernel: papermill and JupyterLab execute notebooks in this environment.
	@$(BIN)/python -m ipykernel install --sys-prefix --name tilannekuva \
		--display-name "Python (tilannekuva)" > /dev/null
	@touch $(STAMP)

## make report: build the whole site from data/ (the demo data when no real inputs are there)
report: $(STAMP) chromium
	@$(BIN)/tilannekuva demo --if-missing --data $(DATA)
	@$(BIN)/tilannekuva build --data $(DATA) --out $(SITE)

## make test: lint, unit tests, notebook execution and browser tests
test: $(STAMP) browser
	@$(BIN)/ruff check lib tests notebooks
	@$(BIN)/ruff format --check lib tests notebooks
	@$(BIN)/python -m pytest

## make lab: JupyterLab (in Finnish) on notebooks/ with the project kernel
lab: $(STAMP)
	@$(BIN)/jupyter lab --ServerApp.root_dir=notebooks $$([ "$$(id -u)" = 0 ] && echo --allow-root)

## make lock: refresh requirements.lock with the newest versions pyproject.toml allows
lock:
	@rm -rf .venv-lock && $(PYTHON_BOOT) -m venv .venv-lock
	@.venv-lock/bin/python -m pip install --quiet --upgrade pip
	@.venv-lock/bin/python -m pip install --quiet -e '.[dev]'
	@{ echo "# Exact versions that passed the tests; installed by make. Refresh: make lock"; \
	   .venv-lock/bin/python -m pip freeze --exclude-editable; } > requirements.lock
	@rm -rf .venv-lock
	@echo "requirements.lock refreshed; the next make reinstalls .venv/ from it"

## make data: fetch the real public data (needs a network)
data: $(STAMP)
	@$(BIN)/tilannekuva fetch registry --data $(DATA); a=$$?; \
	$(BIN)/tilannekuva fetch population --data $(DATA); b=$$?; \
	$(BIN)/tilannekuva fetch geo --data $(DATA); c=$$?; \
	test $$a -eq 0 -a $$b -eq 0 -a $$c -eq 0

## make bench: the performance benchmark
bench: $(STAMP)
	@$(BIN)/python -m tilannekuva.batch.bench

## make clean: remove built outputs (never inputs)
clean:
	rm -rf $(SITE) $(DATA)/build bench/out .pytest_cache .ruff_cache

lint: $(STAMP)
	@$(BIN)/ruff check lib tests notebooks

format: $(STAMP)
	@$(BIN)/ruff format lib tests notebooks
	@$(BIN)/ruff check --fix lib tests notebooks

# Browser tests and the PDFs use Debian's Chromium (no browser download is possible
# here; Playwright drives the system's chromium), pdftotext/pdfinfo check the PDFs,
# and axe-core (npm, pinned in package-lock.json) checks accessibility.
AXE := node_modules/axe-core/axe.min.js

browser: chromium $(AXE)

chromium:
	@command -v chromium > /dev/null || command -v chromium-browser > /dev/null || \
	{ if [ "$$(id -u)" = 0 ] && command -v apt-get > /dev/null; then \
		echo "Installing Chromium for the PDFs and the browser tests"; \
		(apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium > /dev/null) \
		|| echo "warning: could not install chromium; PDFs are skipped and browser tests will fail"; \
	  else echo "warning: chromium not found and cannot be installed; browser tests will fail"; fi; }
	@command -v pdftotext > /dev/null || \
	{ if [ "$$(id -u)" = 0 ] && command -v apt-get > /dev/null; then \
		DEBIAN_FRONTEND=noninteractive apt-get install -y -qq poppler-utils > /dev/null \
		|| echo "warning: could not install poppler-utils; PDF tests will fail"; \
	  else echo "warning: pdftotext not found; PDF tests will fail"; fi; }

# npm ci only when the lock file changed since the last install.
$(AXE): package-lock.json
	@command -v npm > /dev/null || { echo "error: npm is needed for axe-core (apt-get install npm)"; exit 1; }
	@npm ci --no-audit --no-fund --silent
	@touch $(AXE)
