# plantrace — make run (set up, ingest the corpus, serve and watch inbox/) and make test (set up, test).
PY      := .venv/bin/python
STAMP   := .venv/.installed
DB      := outputs/plantrace.db
PORT    ?= 8001

.PHONY: setup system-deps run serve watch ingest test test-fast check-install eval bench clean corpus

setup: $(STAMP)

# Debian programs the pipeline and its tests use: Tesseract (OCR, Vietnamese model),
# LibreOffice Writer (.doc/.rtf), Chromium (page tests), DejaVu fonts. Installed only
# when missing, and only where apt-get can run (as root).
system-deps:
	@missing=""; \
	command -v tesseract >/dev/null || missing="$$missing tesseract-ocr"; \
	tesseract --list-langs 2>/dev/null | grep -qx vie || missing="$$missing tesseract-ocr-vie"; \
	command -v soffice >/dev/null || missing="$$missing libreoffice-writer-nogui"; \
	command -v chromium >/dev/null || missing="$$missing chromium"; \
	[ -f /usr/share/fonts/truetype/dejavu/DejaVuSerif.ttf ] || missing="$$missing fonts-dejavu-core"; \
	if [ -n "$$missing" ]; then \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	    echo "installing:$$missing"; apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing; \
	  else echo "missing Debian packages:$$missing (install them as root)"; fi; \
	fi

$(STAMP): pyproject.toml
	$(MAKE) system-deps
	python3 -m venv .venv
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

# a file that fails (printed, logged, quarantined) does not stop make run: "-" ignores exit status 1
ingest: $(STAMP)
	-$(PY) -m pipeline ingest corpus/documents --db $(DB)

# Datasette in the foreground, the inbox/ watcher beside it; Ctrl-C (or Datasette ending) stops both.
run: ingest
	@mkdir -p inbox
	@echo "serving http://127.0.0.1:$(PORT)/ and watching inbox/ — Ctrl-C stops both"
	@$(PY) -m pipeline watch inbox --db $(DB) & watcher=$$!; \
	trap 'kill -TERM $$watcher 2>/dev/null; wait $$watcher' EXIT INT TERM; \
	$(PY) -m pipeline serve --db $(DB) --port $(PORT)

watch: $(STAMP)
	$(PY) -m pipeline watch inbox --db $(DB)

serve: $(STAMP)
	$(PY) -m pipeline serve --db $(DB) --port $(PORT)

# make test runs everything (CI); make test-fast leaves out the slow tests (corpus ingest, OCR,
# LibreOffice, browser, servers) for quick rounds while developing.
test: $(STAMP)
	$(PY) -m pytest

test-fast: $(STAMP)
	$(PY) -m pytest -m "not slow"

bench: $(STAMP)
	$(PY) -m devtools.bench

# the wheel, installed outside the checkout, ingests the corpus exactly as the checkout does
check-install: $(STAMP)
	$(PY) -m devtools.check_install

eval: $(STAMP)
	$(PY) -m devtools.evaluate

# regenerate the corpus PDF/DOCX files from corpus/src (needs the DejaVu fonts; the .doc needs LibreOffice)
corpus: $(STAMP)
	$(PY) corpus/build.py
	$(PY) corpus/make_scan.py
	$(PY) corpus/make_legacy.py

# outputs/store and outputs/quarantine hold originals the watcher moved out of inbox/: never removed
# here (a watcher started on a fresh database ingests the store again).
clean:
	rm -rf outputs/*.db outputs/*.db-wal outputs/*.db-shm outputs/*.watch.lock .pytest_cache
	find . -name __pycache__ -prune -exec rm -rf {} +
