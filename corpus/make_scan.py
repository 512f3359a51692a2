"""Make the scanned corpus report: render its source to PDF, then "print and scan" it.

    .venv/bin/python corpus/make_scan.py [STEM ...]

For every source with ``derive: {kind: scan}`` (corpus/src/*.yml): the PDF is rendered
by corpus/build.py into a temporary file; its text, as the PDF reader reads it, is kept
as the ground truth (``gold/<stem>.txt``); each page is rasterised at ``dpi``, turned by
a small angle (``angles``, one per page, counter-clockwise), given grey-level noise and a
few specks, and the pages are saved as an image-only PDF (no text layer) in documents/.
The same source and seed give the same bytes.
"""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path[:0] = [str(HERE), str(HERE.parent)]

import build  # noqa: E402  (corpus/build.py)

FIXED_TIME = time.gmtime(1704067200)  # 2024-01-01, as build.py dates its files: same bytes every run


def scanned(page_image, angle: float, noise: float, rng):
    """A grey page image as a flatbed scan gives it back: turned a little, noisy, specked."""
    import numpy as np
    from PIL import Image

    turned = page_image.convert("L").rotate(angle, resample=Image.BICUBIC, expand=False, fillcolor=255)
    a = np.asarray(turned, dtype=np.float32)
    a = a * 0.92 + 12  # paper is not white, toner is not black
    a += rng.normal(0.0, noise, a.shape)
    specks = rng.random(a.shape) < 0.0004
    a[specks] = rng.uniform(40, 160, int(specks.sum()))
    return Image.fromarray(np.clip(a, 0, 255).astype(np.uint8), "L")


def make(path: Path) -> Path:
    import numpy as np
    import pypdfium2 as pdfium

    from pipeline.read.pdf import parse

    src = build.load(path)
    spec = src["derive"]
    out = HERE / "documents" / f"{src['output']}.pdf"
    with tempfile.TemporaryDirectory() as tmp:
        rendered = Path(tmp) / "rendered.pdf"
        build.build_pdf(src, rendered)
        truth = parse(rendered, "truth").text
        (HERE / "gold" / f"{src['output']}.txt").write_text(truth, encoding="utf-8")
        rng = np.random.default_rng(spec.get("seed", 0))
        dpi = spec.get("dpi", 200)
        angles = spec.get("angles") or [0.0]
        pdf = pdfium.PdfDocument(str(rendered))
        pages = []
        for i in range(len(pdf)):
            image = pdf[i].render(scale=dpi / 72, grayscale=True).to_pil()
            pages.append(scanned(image, angles[i % len(angles)], spec.get("noise", 6), rng))
        pdf.close()
    pages[0].save(out, "PDF", resolution=dpi, save_all=True, append_images=pages[1:], quality=80,
                  title=src["output"], creationDate=FIXED_TIME, modDate=FIXED_TIME)
    return out


def main(argv: list[str]) -> None:
    for path in sorted((HERE / "src").glob("*.yml")):
        if argv and path.stem not in argv:
            continue
        if (build.load(path).get("derive") or {}).get("kind") == "scan":
            print(make(path).relative_to(HERE.parent))


if __name__ == "__main__":
    main(sys.argv[1:])
