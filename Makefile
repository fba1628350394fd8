# Gastvrij — the two set-up commands are `make demo` and `make test`; the rest are helpers.
PYTHON ?= python3.11
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
# Debian packages the suite and demo need; grows as kiosk, robot and web screens arrive.
SYSTEM_PACKAGES ?= chromium fonts-dejavu-core fonts-noto-core xvfb xauth xdotool x11-apps xinit x11-xserver-utils libzbar0 \
	espeak-ng libmtdev1 nginx prometheus postgresql-client ssl-cert openssl curl

NODE_STAMP := node_modules/.installed
# The suite often waits (servers, browsers, nginx, newman): three pytest-xdist workers keep two cores busy,
# each module's tests on one of them (tests/conftest.py, pytest_xdist_make_scheduler). PYTEST_WORKERS=0 runs
# it in one process.
PYTEST_WORKERS ?= 3

.PHONY: demo test lint bench clean venv system screenshots node

$(STAMP): pyproject.toml
	@command -v $(PYTHON) >/dev/null || { echo "Python 3.11 ($(PYTHON)) is required; set PYTHON=/path/to/python3.11"; exit 1; }
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[dev]'
	@touch $(STAMP)

venv: $(STAMP)

# acorn checks that the robot tablet's scripts are ES5 (a Pepper's WebView is Chromium 46-48); oidc-provider
# is the OpenID provider of the single sign-on tests; pa11y
# checks every web screen (WCAG 2 AA) with Debian's Chromium, never a downloaded one.
# Without Node.js the suite skips those checks and says why.
$(NODE_STAMP): package.json package-lock.json
	@if command -v npm >/dev/null; then PUPPETEER_SKIP_DOWNLOAD=1 npm install --no-audit --no-fund --silent && touch $(NODE_STAMP); \
	else echo "npm is missing: the robot tablet's ES5 check and pa11y will be skipped (apt install nodejs npm)"; fi

node: $(NODE_STAMP)

system:
	@scripts/system-packages.sh $(SYSTEM_PACKAGES)

demo: system venv
	$(PY) -m queue_ticketing demo

test: system venv node
	$(PY) -m ruff check .
	$(VENV)/bin/lint-imports
	$(PY) -m mypy
	$(PY) -m pytest -n $(PYTEST_WORKERS) $(PYTEST_ARGS)

lint: venv
	$(PY) -m ruff check .
	$(VENV)/bin/lint-imports

screenshots: system venv  ## every kiosk screen in nl and ar into docs/screens/
	GASTVRIJ_SCREENSHOTS=docs/screens $(PY) -m pytest -q tests/kiosk/ui/test_screenshots.py

bench: venv
	$(PY) -m bench.load --help

clean:
	rm -rf $(VENV) var/*.sqlite* .pytest_cache node_modules
