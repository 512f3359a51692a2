"""Make the corpus reports that come in old formats and encodings.

    .venv/bin/python corpus/make_legacy.py [STEM ...]

For every source with ``derive: {kind: doc | tcvn3 | vni}`` (corpus/src/*.yml):

- ``doc``: built as DOCX by corpus/build.py, then saved as Word 97 ``.doc`` by LibreOffice
  (``soffice --convert-to doc``; needs libreoffice-writer);
- ``tcvn3``: built as DOCX, then every run typed again in TCVN3 with the table in
  pipeline/legacy_tables.yml, in the font ``.VnTime`` (lines in capitals in ``.VnTimeH``
  with the lower-case codes, as that font draws them: TCVN3 has no toned capitals);
- ``vni``: the header, body, Nơi nhận and signature as plain text lines (a header
  flattened as a copy-paste leaves it), typed in VNI, saved as Windows-1252 bytes (CRLF).

The outputs go to documents/ and are committed.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
import unicodedata
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path[:0] = [str(HERE), str(HERE.parent)]

import build  # noqa: E402  (corpus/build.py)

from pipeline.read import legacy  # noqa: E402

TONES = {"\u0300", "\u0301", "\u0303", "\u0309", "\u0323"}


def make_doc(src: dict, out: Path) -> None:
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None:
        raise SystemExit("make_legacy.py: the .doc needs LibreOffice (apt-get install libreoffice-writer-nogui)")
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        docx_path = tmp / f"{out.stem}.docx"
        build.build_docx(src, docx_path)
        _end_with_paragraph(docx_path)
        subprocess.run([soffice, f"-env:UserInstallation={(tmp / 'profile').as_uri()}", "--headless",
                        "--norestore", "--convert-to", "doc:MS Word 97", "--outdir", str(tmp), str(docx_path)],
                       check=True, capture_output=True, timeout=300, env={**os.environ, "HOME": str(tmp)})
        shutil.copyfile(tmp / f"{out.stem}.doc", out)


def _end_with_paragraph(path: Path) -> None:
    """Word ends every document with a paragraph; a DOCX ending on a table (the signature
    block) loses that table's structure in LibreOffice's Word 97 export."""
    import docx

    d = docx.Document(str(path))
    d.add_paragraph()
    d.save(str(path))


def tcvn3_run(text: str) -> tuple[str, str]:
    """(TCVN3 text, font) for one run of Unicode text."""
    letters = [c for c in text if c.isalpha()]
    if letters and all(c.isupper() for c in letters):
        return legacy.from_unicode(text.lower(), "tcvn3"), ".VnTimeH"
    for c in text:
        if c.isupper() and TONES & set(unicodedata.normalize("NFD", c)):
            raise SystemExit(f"make_legacy.py: TCVN3 has no code for {c!r} in {text!r}: write the source "
                             "the way TCVN3 typists did (old tone placement, 'Uỷ ban'), or the line in capitals")
    return legacy.from_unicode(text, "tcvn3"), ".VnTime"


def make_tcvn3(src: dict, out: Path) -> None:
    import docx
    from docx.oxml.ns import qn

    build.build_docx(src, out)
    d = docx.Document(str(out))
    paragraphs = list(d.paragraphs) + [p for t in d.tables for row in t.rows for cell in row.cells
                                       for p in cell.paragraphs]
    seen = set()
    for p in paragraphs:
        if id(p._p) in seen:  # a merged cell repeats
            continue
        seen.add(id(p._p))
        for run in p.runs:
            if not run.text:
                continue
            run.text, font = tcvn3_run(run.text)
            run.font.name = font
            run._r.rPr.rFonts.set(qn("w:cs"), font)
    d.save(str(out))
    build._fix_zip_times(out)


def plain_lines(src: dict) -> list[str]:
    """The document as a text file: one line per header line, paragraph, list item."""
    h = src.get("header") or {}
    lines = [*str(h.get("parent") or "").splitlines(), *str(h.get("issuer") or "").splitlines()]
    lines += [h["number"]] if h.get("number") else []
    lines += ["CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc"]
    lines += [h["place_date"], ""] if h.get("place_date") else [""]
    lines += [h["doc_type"]] if h.get("doc_type") else []
    lines += [" ".join(x.strip() for x in (h.get("title") or "").strip().splitlines())]
    kg = src.get("kinh_gui") or []
    lines += [f"Kính gửi: {kg[0]}"] if len(kg) == 1 else ["Kính gửi:"] + [f"- {k};" for k in kg]
    lines += [item for kind, item in build.body_items(src.get("body") or "") if kind == "para"]
    lines += ["", "Nơi nhận:"] + [f"- {x}" for x in src.get("noi_nhan") or []]
    lines += [""] + [line for line in src.get("signature") or []]
    return lines


def make_vni(src: dict, out: Path) -> None:
    text = "\r\n".join(legacy.from_unicode(line, "vni") for line in plain_lines(src)) + "\r\n"
    out.write_bytes(text.encode("cp1252"))


MAKERS = {"doc": ("doc", make_doc), "tcvn3": ("docx", make_tcvn3), "vni": ("txt", make_vni)}


def make(path: Path) -> Path:
    src = build.load(path)
    ext, maker = MAKERS[src["derive"]["kind"]]
    out = HERE / "documents" / f"{src['output']}.{ext}"
    maker(src, out)
    return out


def main(argv: list[str]) -> None:
    for path in sorted((HERE / "src").glob("*.yml")):
        if argv and path.stem not in argv:
            continue
        if (build.load(path).get("derive") or {}).get("kind") in MAKERS:
            print(make(path).relative_to(HERE.parent))


if __name__ == "__main__":
    main(sys.argv[1:])
