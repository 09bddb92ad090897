# The two set-up commands of the README:
#   make book   installs everything into .venv and builds the sample book into build/
#   make test   installs everything into .venv and runs lint, types and the whole test suite
PYTHON ?= python3
VENV ?= .venv
BIN = $(VENV)/bin
STAMP = $(VENV)/.installed-stamp

.PHONY: book test lint install clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $(STAMP)

install: $(STAMP)

book: $(STAMP)
	$(BIN)/bilingual-pub update
	$(BIN)/bilingual-pub stats
	$(BIN)/bilingual-pub check
	$(BIN)/bilingual-pub build

lint: $(STAMP)
	$(BIN)/ruff check src tests bench
	$(BIN)/mypy

test: lint
	$(BIN)/pytest

clean:
	rm -rf build $(VENV)
