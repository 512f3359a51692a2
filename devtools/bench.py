"""make bench: speed and memory of reading and ingesting, as ratios against the raw library
measured in the same run on the same files.

    reader pages/s ÷ pdfplumber extract_text pages/s   (PDF)
    reader paragraphs/s ÷ python-docx paragraphs/s      (DOCX)
    full ingest (all stages, database) pages/s, and peak memory of each, in child processes
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "corpus" / "documents"


def _child(code: str) -> dict:
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, timeout=1800)
    if out.returncode:
        raise SystemExit(out.stderr)
    return json.loads(out.stdout.strip().splitlines()[-1])


def _timed(body: str, files: list[Path], rounds: int) -> dict:
    return _child(f"""
import json, resource, time
from pathlib import Path
files = [Path(p) for p in {[str(f) for f in files]!r}]
t0 = time.perf_counter(); units = 0
for _ in range({rounds}):
    for f in files:
{body}
dt = time.perf_counter() - t0
print(json.dumps({{"units": units, "seconds": dt, "maxrss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}}))
""")


def main() -> None:
    pdfs = sorted(p for p in CORPUS.glob("*.pdf") if "scan" not in p.name)
    docxs = sorted(CORPUS.glob("*.docx"))
    raw_pdf = _timed("""        import pdfplumber
        with pdfplumber.open(f) as pdf:
            for page in pdf.pages:
                page.extract_text(); units += 1; page.close()""", pdfs, 3)
    our_pdf = _timed("""        from pipeline.read.pdf import parse
        units += len(parse(f, "bench").pages)""", pdfs, 3)
    raw_docx = _timed("""        import docx
        units += len(docx.Document(str(f)).paragraphs)""", docxs, 5)
    our_docx = _timed("""        import docx
        from pipeline.read.docx import parse
        parse(f, "bench"); units += len(docx.Document(str(f)).paragraphs)""", docxs, 5)
    ingest = _child(f"""
import json, resource, tempfile, time
from pathlib import Path
from pipeline.intake.ingest import Pipeline
with tempfile.TemporaryDirectory() as tmp:
    t0 = time.perf_counter()
    p = Pipeline(Path(tmp) / "plantrace.db")
    s = p.ingest([Path({str(CORPUS)!r})])
    pages = p.db.execute("select sum(pages) from documents").fetchone()[0]
    print(json.dumps({{"units": pages, "seconds": time.perf_counter() - t0, "files": len(s.outcomes),
                      "maxrss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}}))
""")
    rate = lambda r: r["units"] / r["seconds"]
    print(f"PDF   pdfplumber extract_text {rate(raw_pdf):8.1f} pages/s   peak {raw_pdf['maxrss_mb']:.0f} MB")
    print(f"PDF   plantrace reader         {rate(our_pdf):8.1f} pages/s   peak {our_pdf['maxrss_mb']:.0f} MB"
          f"   ratio {rate(our_pdf) / rate(raw_pdf):.2f}")
    print(f"DOCX  python-docx paragraphs   {rate(raw_docx):8.1f} para/s    peak {raw_docx['maxrss_mb']:.0f} MB")
    print(f"DOCX  plantrace reader         {rate(our_docx):8.1f} para/s    peak {our_docx['maxrss_mb']:.0f} MB"
          f"   ratio {rate(our_docx) / rate(raw_docx):.2f}")
    print(f"ingest all stages ({ingest['files']} files) {rate(ingest):6.2f} pages/s   peak {ingest['maxrss_mb']:.0f} MB"
          f"   ratio to extract_text {rate(ingest) / rate(raw_pdf):.3f}")


if __name__ == "__main__":
    main()
