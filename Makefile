# Two set-up commands for a fresh machine:
#   make build   install into .venv, build the bundled sample into ./out (no server needed)
#   make test    install into .venv with the test extras, then run the test suite
VENV ?= .venv
PY := $(VENV)/bin/python
OUT ?= out

.PHONY: build test clean

$(VENV)/.installed: pyproject.toml
	python3 -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[test]'
	touch $@

build: $(VENV)/.installed
	$(VENV)/bin/graphbuild build --out $(OUT)

test: $(VENV)/.installed
	$(PY) -m pytest -q

clean:
	rm -rf $(VENV) $(OUT)
