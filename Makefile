# The two set-up commands of the README:
#   make book   installs everything into .venv and builds the sample book into build/
#   make test   installs everything into .venv and runs lint, types and the whole test suite
PYTHON ?= python3
VENV ?= .venv
BIN = $(VENV)/bin
STAMP = $(VENV)/.installed-stamp

.PHONY: book test lint install chromium bench clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	@# an editable install leaves the toolkit uncompiled; with PYTHONDONTWRITEBYTECODE set
	@# every command would compile it again (a sixth of a small book's EPUB build)
	$(BIN)/python -m compileall -q src
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

# The browser the EPUB tests lay chapters out with; CI starts as root on a fresh Debian
chromium:
	@test -x /usr/bin/chromium || { apt-get update -qq && \
		DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium > /dev/null; }

test: lint chromium
	$(BIN)/pytest

# The benchmarks of docs/benchmarks.md (about 20 minutes; pandoc comes with the dev extras)
bench: $(STAMP) chromium
	$(BIN)/python bench/merge_bench.py --n 2000
	$(BIN)/python bench/merge_bench.py --n 20000 --no-msgmerge
	$(BIN)/python bench/pdf_bench.py --chapters 30
	$(BIN)/python bench/pdf_bench.py --chapters 18 --no-sample
	$(BIN)/python bench/cache_bench.py
	$(BIN)/python bench/facing_bench.py
	$(BIN)/python bench/spacing_bench.py
	$(BIN)/python bench/epub_bench.py
	$(BIN)/python bench/align_bench.py
	$(BIN)/python bench/preview_bench.py

clean:
	rm -rf build $(VENV)
