# Gastvrij — the two set-up commands are `make demo` and `make test`; the rest are helpers.
PYTHON ?= python3.11
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
# Debian packages the suite and demo need; grows as kiosk, robot and web screens arrive.
SYSTEM_PACKAGES ?= chromium fonts-dejavu-core fonts-noto-core xvfb xauth libzbar0 espeak-ng libmtdev1

PA11Y_STAMP := tests/web/pa11y/node_modules/.installed

.PHONY: demo test lint bench clean venv system screenshots pa11y

$(STAMP): pyproject.toml
	@command -v $(PYTHON) >/dev/null || { echo "Python 3.11 ($(PYTHON)) is required; set PYTHON=/path/to/python3.11"; exit 1; }
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[dev]'
	@touch $(STAMP)

venv: $(STAMP)

system:
	@scripts/system-packages.sh $(SYSTEM_PACKAGES)

demo: system venv
	$(PY) -m queue_ticketing demo

# pa11y for the browser tests, where Node.js is installed: Debian's Chromium, never a downloaded one.
$(PA11Y_STAMP): tests/web/pa11y/package-lock.json
	@if command -v npm >/dev/null 2>&1; then \
	  (cd tests/web/pa11y && PUPPETEER_SKIP_DOWNLOAD=1 npm ci --no-audit --no-fund --loglevel=error && touch node_modules/.installed) \
	  || echo "npm ci failed: the pa11y check will be skipped (axe-core still runs)"; \
	else echo "Node.js/npm is not installed: the pa11y check will be skipped (axe-core still runs)"; fi

pa11y: $(PA11Y_STAMP)

test: system venv pa11y
	$(PY) -m ruff check .
	$(PY) -m pytest $(PYTEST_ARGS)

lint: venv
	$(PY) -m ruff check .

screenshots: system venv  ## every kiosk screen in nl and ar into docs/screens/
	GASTVRIJ_SCREENSHOTS=docs/screens $(PY) -m pytest -q tests/kiosk/ui/test_screenshots.py

bench: venv
	$(PY) -m bench.load --help

clean:
	rm -rf $(VENV) var/*.sqlite* .pytest_cache
