# Two set-up commands for a fresh machine:
#   make build   install into .venv, build the bundled sample into ./out (no server needed)
#   make test    install into .venv with the test extras, fetch Neo4j (Maven) for the
#                integration tests, then run the test suite
VENV ?= .venv
PY := $(VENV)/bin/python
OUT ?= out
NEO4J_JARS := neo4j-server/lib/.fetched

SYSDEPS := .sysdeps-installed
# Debian packages the tests use: Chromium for page checks and browser-printed PDFs, CJK fonts,
# poppler for PDFs (fonts-wqy-zenhei: the TrueType CJK font tests/fixtures/make_pdfs.py embeds),
# LibreOffice to make test PDFs from .xlsx and .docx, tesseract with chi_sim to read scans.
DEBIAN_PACKAGES := chromium chromium-driver fonts-noto-cjk fonts-wqy-zenhei poppler-utils \
  libreoffice-calc libreoffice-writer tesseract-ocr tesseract-ocr-chi-sim libgl1 libglib2.0-0

.PHONY: build test clean

$(VENV)/.installed: pyproject.toml
	python3 -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[test]'
	touch $@

build: $(VENV)/.installed
	$(VENV)/bin/graphbuild build --out $(OUT)

# Neo4j for the integration tests (tests/integration/conftest.py starts it), cached in neo4j-server/lib.
$(NEO4J_JARS): neo4j-server/pom.xml
	rm -rf neo4j-server/lib
	cd neo4j-server && mvn -q -B dependency:copy-dependencies -DoutputDirectory=lib && touch lib/.fetched \
	  || echo "warning: no Neo4j jars (needs mvn and Maven Central); integration tests skip, or fail under CI=true"

$(SYSDEPS): Makefile
	@if dpkg -s $(DEBIAN_PACKAGES) >/dev/null 2>&1; then :; else \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $(DEBIAN_PACKAGES); fi
	touch $@

test: $(VENV)/.installed $(NEO4J_JARS) $(SYSDEPS)
	$(PY) -m pytest -q

clean:
	rm -rf $(VENV) $(OUT)
