# Everything a fresh machine needs: `make build` and `make test` set up the environment themselves.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: setup tools web-tools build test bench clean

setup: $(STAMP) tools

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --disable-pip-version-check -e '.[dev]'
	touch $(STAMP)

# System libraries: Pango for WeasyPrint, poppler-utils (pdftotext) for the tests' layout checks.
tools:
	@if ! ldconfig -p | grep -q 'libpango-1.0' || ! command -v pdftotext >/dev/null; then \
	  echo "Installiere Systempakete (libpango, poppler-utils) …"; \
	  apt-get update -qq && apt-get install -y -qq libpango-1.0-0 libpangoft2-1.0-0 poppler-utils >/dev/null; \
	fi

build: setup
	$(BIN)/amip build

# Browser checks of the web editions: Chromium from the Debian packages, axe-core + puppeteer-core from npm
# (versions pinned in tests/web/package-lock.json).
web-tools: tests/web/node_modules/.installed
	@if ! command -v chromium >/dev/null; then \
	  echo "Installiere Chromium für die Browser-Prüfungen …"; \
	  apt-get update -qq && apt-get install -y -qq chromium >/dev/null; \
	fi

tests/web/node_modules/.installed: tests/web/package-lock.json
	@if ! command -v npm >/dev/null; then \
	  echo "Installiere Node.js und npm …"; \
	  apt-get update -qq && apt-get install -y -qq nodejs npm >/dev/null; \
	fi
	cd tests/web && npm ci --no-audit --no-fund --loglevel=error
	touch $@

test: setup web-tools
	$(BIN)/ruff check src tests bench
	$(BIN)/pytest -q

bench: setup
	$(BIN)/python bench/bench.py

clean:
	rm -rf build
