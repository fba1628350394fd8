# Gastvrij — the two set-up commands are `make demo` and `make test`; the rest are helpers.
PYTHON ?= python3.11
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
# Debian packages the suite and demo need; grows as kiosk, robot and web screens arrive.
SYSTEM_PACKAGES ?= chromium fonts-dejavu-core fonts-noto-core xvfb xauth libzbar0 espeak-ng libmtdev1 \
	nginx prometheus postgresql-client ssl-cert openssl curl

.PHONY: demo test lint bench clean venv system screenshots

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

test: system venv
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
