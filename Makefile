# plantrace — make run (set up, ingest the corpus, serve) and make test (set up, test).
PY      := .venv/bin/python
STAMP   := .venv/.installed
DB      := outputs/plantrace.db
PORT    ?= 8001

.PHONY: setup run serve ingest test eval bench clean corpus

setup: $(STAMP)

$(STAMP): pyproject.toml
	python3 -m venv .venv
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

ingest: $(STAMP)
	$(PY) -m pipeline ingest corpus/documents --db $(DB)

run: ingest
	$(PY) -m pipeline serve --db $(DB) --port $(PORT)

serve: $(STAMP)
	$(PY) -m pipeline serve --db $(DB) --port $(PORT)

test: $(STAMP)
	$(PY) -m pytest

bench: $(STAMP)
	$(PY) -m pipeline.bench

eval: $(STAMP)
	$(PY) -m pipeline eval

# regenerate the corpus PDF/DOCX files from corpus/src (needs the DejaVu fonts; the .doc needs LibreOffice)
corpus: $(STAMP)
	$(PY) corpus/build.py
	$(PY) corpus/make_scan.py
	$(PY) corpus/make_legacy.py

clean:
	rm -rf outputs/*.db outputs/*.db-wal outputs/*.db-shm outputs/quarantine .pytest_cache
	find . -name __pycache__ -prune -exec rm -rf {} +
