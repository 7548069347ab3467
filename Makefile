# Two entry points a newcomer needs: `make site` and `make test`. Everything else is a helper.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
ADDR   ?= 127.0.0.1:8000

.PHONY: site serve test test-properdocs check clean help

# The tests that build sites and read them back: the whole site tier, run again by
# test-properdocs with ProperDocs building every site.
SITE_TESTS := tests/site

help:
	@echo "make site   set up .venv and build the demo site into site/"
	@echo "make serve  set up .venv and preview the demo site at http://$(ADDR)/"
	@echo "make test   set up .venv with the test extras and run the whole test suite"
	@echo "make test-properdocs   the site tests again, every site built by ProperDocs"
	@echo "make check  validate the demo content (every problem as path:line)"

$(VENV)/.python-ok:
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else 1)' || \
	  { echo "Python 3.11 or newer is needed (found: $$($(PYTHON) --version)). Run: make PYTHON=python3.12 ..."; exit 1; }
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	@touch $@

$(VENV)/.site-installed: $(VENV)/.python-ok pyproject.toml
	$(BIN)/python -m pip install --quiet -e .
	@touch $@

$(VENV)/.test-installed: $(VENV)/.python-ok pyproject.toml
	$(BIN)/python -m pip install --quiet -e '.[test,dev,engines]'
	@touch $@ $(VENV)/.site-installed

site: $(VENV)/.site-installed
	$(BIN)/kb build
	@echo
	@echo "Demo site built into site/. Browse it with:  make serve   (then open http://$(ADDR)/)"

serve: $(VENV)/.site-installed
	$(BIN)/kb serve --dev-addr $(ADDR)

check: $(VENV)/.site-installed
	$(BIN)/kb check

test: $(VENV)/.test-installed
	$(BIN)/python -m pytest

# The site tests again, every build of them made by ProperDocs instead of MkDocs (docs/engines.md).
test-properdocs: $(VENV)/.test-installed
	KB_TEST_ENGINE=properdocs $(BIN)/python -m pytest $(SITE_TESTS)

clean:
	rm -rf site site-internal .kb
