# The two everyday commands: `make demo` and `make test` (see README.md).
# Both create .venv when it is missing and reinstall only when pyproject.toml has changed.

VENV    := .venv
BIN     := $(VENV)/bin
STAMP   := $(VENV)/.installed-stamp
PYTHON  ?= python3
CODE    := $(wildcard src tests bench)

.PHONY: demo test install lint chromium

# `make demo PORT=8123` serves on another port.
demo: $(STAMP)
	$(BIN)/ordnung demo $(if $(PORT),--port $(PORT))

test: $(STAMP) chromium lint
	$(BIN)/pytest -n 2

lint: $(STAMP)
	$(BIN)/ruff check $(CODE)
	$(BIN)/ruff format --check $(CODE)
	$(BIN)/mypy
	$(BIN)/lint-imports

install: $(STAMP)

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

# Editable install, so source edits need no reinstall; only a changed pyproject.toml does.
$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet --editable '.[dev]'
	touch $(STAMP)

# Browser tests drive Debian's Chromium (design.md §9); the pick list test renders its PDF with
# poppler's pdftoppm and decodes the barcodes with zbarimg. Installed only where we may (root);
# elsewhere the browser tests fail with a message that says how to get Chromium, and the barcode
# test is skipped with its reason.
chromium:
	@if { [ ! -x /usr/bin/chromium ] || [ ! -x /usr/bin/zbarimg ] || [ ! -x /usr/bin/pdftoppm ]; } \
		&& [ "$$(id -u)" = 0 ]; then \
		apt-get update && \
		DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends \
			chromium zbar-tools poppler-utils; \
	fi
	@# zbarimg decodes the click & collect QR codes in tests/fulfillment/test_click_and_collect.py.
	@if [ ! -x /usr/bin/zbarimg ] && [ "$$(id -u)" = 0 ]; then \
		apt-get update && \
		DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends zbar-tools; \
	fi
