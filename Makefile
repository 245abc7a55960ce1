# One-command set-up: every target creates .venv on a fresh machine.
# torch goes in first so pip takes the CPU wheel instead of a multi-GB CUDA build.
VENV   := .venv
PYTHON := $(VENV)/bin/python
STAMP  := $(VENV)/.installed

.PHONY: run test bench lint snapshot screenshot-web fuzz clean

# make fuzz SEED="1 2" KEYS=2000: seeded random keys on every tab (see tests/fuzz).
SEED ?= 1
KEYS ?= 2000

$(STAMP): pyproject.toml
	test -x $(PYTHON) || python3 -m venv $(VENV)
	$(PYTHON) -m pip install --quiet --upgrade pip
	$(PYTHON) -m pip install --quiet torch==2.13.0
	$(PYTHON) -m pip install --quiet -e '.[test]'
	touch $(STAMP)

run: $(STAMP)
	$(VENV)/bin/reglab

test: $(STAMP)
	$(PYTHON) -m pytest -q -n auto --dist loadgroup

bench: $(STAMP)
	$(PYTHON) -m benchmarks

lint: $(STAMP)
	$(VENV)/bin/ruff check reglab tests benchmarks
	$(VENV)/bin/ruff format --check reglab tests benchmarks
	$(VENV)/bin/mypy
	$(VENV)/bin/lint-imports

fuzz: $(STAMP)
	$(PYTHON) -m tests.fuzz --keys $(KEYS) $(foreach seed,$(SEED),--seed $(seed))

snapshot: $(STAMP)
	$(VENV)/bin/reglab snapshot

# reglab serve in headless Chromium (Debian's package, installed here if missing).
screenshot-web: $(STAMP)
	command -v chromium >/dev/null || (apt-get update -qq && apt-get install -y -qq chromium)
	$(PYTHON) tools/web_screenshot.py screenshots/web-overfitting.png

clean:
	rm -rf $(VENV) .pytest_cache
