# KI-Lotse: `make run` starts the app on the shipped knowledge, `make test` runs the suite.
# Both create .venv when missing and reinstall only when pyproject.toml changes.
SHELL := /bin/bash
VENV := .venv
PY := $(VENV)/bin/python
HASH := $(shell sha1sum pyproject.toml | cut -c1-12)
RUN_STAMP := $(VENV)/.run-$(HASH)
DEV_STAMP := $(VENV)/.dev-$(HASH)
PIP := $(PY) -m pip install --disable-pip-version-check -q

.PHONY: run test bench lint install install-dev chromium screenshots

$(PY):
	python3.11 -m venv $(VENV) 2>/dev/null || python3 -m venv $(VENV)
	$(PY) -m pip install -q --disable-pip-version-check --upgrade pip

# torch is pinned in pyproject (CPU wheel on local disk); installing it first keeps pip
# from resolving a CUDA build for sentence-transformers.
$(RUN_STAMP): pyproject.toml | $(PY)
	$(PIP) "torch==2.13.0"
	$(PIP) -e .
	rm -f $(VENV)/.run-*; touch $@

$(DEV_STAMP): pyproject.toml | $(PY)
	$(PIP) "torch==2.13.0"
	$(PIP) -e ".[dev]"
	rm -f $(VENV)/.dev-* $(VENV)/.run-*; touch $@ $(RUN_STAMP)

install: $(RUN_STAMP)
install-dev: $(DEV_STAMP)

# Debian's Chromium for the browser tests (Playwright's own download cannot work here).
chromium:
	@command -v chromium >/dev/null 2>&1 || { \
	  echo "Installing Debian chromium for the browser tests"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-noto-color-emoji >/dev/null; }

run: install
	$(VENV)/bin/lotse bootstrap
	$(VENV)/bin/streamlit run app.py --server.address 127.0.0.1 --server.port 8501 \
	  --server.headless true --browser.gatherUsageStats false

test: install-dev chromium
	$(PY) -m pytest

bench: install-dev
	$(PY) -m bench.run

# Screenshots of every page for the README (docs/screenshots/).
screenshots: install-dev chromium
	$(PY) -m tests.browser_screenshots

lint: install-dev
	$(VENV)/bin/ruff check . && $(VENV)/bin/ruff format --check . && $(VENV)/bin/mypy
