"""Recognise the text of a page image with Tesseract and its Vietnamese model.

``ocr_page(image)`` prepares the image (grey levels, contrast, skew corrected) and runs the
``tesseract`` command (``tesseract-ocr`` and ``tesseract-ocr-vie``), returning the lines it
read, each word with its box in the prepared image's pixels, and the page's mean word
confidence (0-100). The PDF reader turns the boxes into its own lines and columns, so a
scanned page gets the same layout handling as a page with a text layer.

The command is ``$PLANTRACE_TESSERACT`` if set, else ``tesseract`` on the PATH; when it
is missing or has no Vietnamese model, ``OcrUnavailable`` says so.
"""

from __future__ import annotations

import csv
import hashlib
import io
import math
import os
import shutil
import subprocess
from collections import OrderedDict
from dataclasses import dataclass
from functools import lru_cache

from PIL import Image, ImageFilter, ImageOps

ENV_COMMAND = "PLANTRACE_TESSERACT"
LANG = "vie"
DPI = 300  # pages are rendered at this resolution for OCR
MAX_SKEW = 5.0  # degrees: the search range for skew
TIMEOUT = 180  # seconds for one page
MIN_CONFIDENCE = 20.0  # words below this that hold no letter or digit are specks, not text


class OcrUnavailable(Exception):
    """No usable Tesseract (command missing, or no Vietnamese model)."""


@dataclass(frozen=True)
class Word:
    text: str
    x0: float
    top: float
    x1: float
    bottom: float
    confidence: float


@dataclass(frozen=True)
class OcrLine:
    """One line as Tesseract found it (one column of a two-column row is its own line)."""

    words: tuple[Word, ...]

    @property
    def text(self) -> str:
        return " ".join(w.text for w in self.words)


def command() -> str | None:
    """The tesseract command to run, or None when there is none."""
    configured = os.environ.get(ENV_COMMAND)
    if configured:
        return configured if os.path.isfile(configured) and os.access(configured, os.X_OK) else None
    return shutil.which("tesseract")


@lru_cache(maxsize=8)
def _languages(cmd: str) -> frozenset[str]:
    try:
        out = subprocess.run([cmd, "--list-langs"], capture_output=True, text=True, timeout=30)
    except (OSError, subprocess.SubprocessError):
        return frozenset()
    return frozenset(ln.strip() for ln in (out.stdout + out.stderr).splitlines()[1:] if ln.strip())


def require(lang: str = LANG) -> str:
    """The tesseract command, checked to have the model for ``lang``; OcrUnavailable otherwise."""
    cmd = command()
    if cmd is None:
        raise OcrUnavailable("tesseract is not installed")
    if lang not in _languages(cmd):
        raise OcrUnavailable(f"tesseract has no '{lang}' model")
    return cmd


def available(lang: str = LANG) -> bool:
    try:
        require(lang)
    except OcrUnavailable:
        return False
    return True


# ------------------------------------------------------------------ preparing the image
def estimate_skew(gray: Image.Image, max_angle: float = MAX_SKEW) -> float:
    """The angle (degrees, counter-clockwise) by which the text lines are turned.

    Projection profiles: the dark pixels are projected onto the vertical axis of a frame
    turned by each candidate angle; at the right angle every text line falls into a few
    rows and the profile is sharpest (largest sum of squares). Coarse, then fine search.
    """
    import numpy as np

    small = gray if gray.width <= 1200 else gray.resize((1200, round(gray.height * 1200 / gray.width)))
    a = np.asarray(small, dtype=np.uint8)
    ys, xs = np.nonzero(a < min(160, int(a.mean()) - 30))
    if len(ys) < 200:
        return 0.0
    if len(ys) > 300_000:  # a fixed subsample keeps the search fast on dense pages
        keep = np.linspace(0, len(ys) - 1, 300_000).astype(np.int64)
        ys, xs = ys[keep], xs[keep]
    ys = ys.astype(np.float64)
    xs = xs.astype(np.float64)

    def sharpness(angle: float) -> float:
        t = math.radians(angle)
        rows = ys * math.cos(t) + xs * math.sin(t)  # a line turned counter-clockwise rises to the right
        hist = np.bincount((rows - rows.min()).astype(np.int64))
        return float(np.dot(hist, hist))

    best = max(np.arange(-max_angle, max_angle + 1e-9, 0.25), key=sharpness)
    best = max(np.arange(best - 0.25, best + 0.25 + 1e-9, 0.02), key=sharpness)
    return round(float(best), 2)


def prepare(image: Image.Image) -> tuple[Image.Image, float]:
    """Grey levels, stretched contrast, speckle removed, skew corrected: (image, skew in degrees)."""
    gray = ImageOps.autocontrast(image.convert("L"), cutoff=1)
    gray = gray.filter(ImageFilter.MedianFilter(3))
    angle = estimate_skew(gray)
    if abs(angle) >= 0.05:
        gray = gray.rotate(-angle, resample=Image.BICUBIC, expand=False, fillcolor=255)
    return gray, angle


# ------------------------------------------------------------------ running tesseract
# The same page image read with the same command gives the same lines: recent results are
# kept (a test run reads the corpus scan several times).
_CACHE: OrderedDict[str, tuple[list, float | None]] = OrderedDict()
_CACHE_SIZE = 32


def _tesseract_tsv(image: bytes, cmd: str, lang: str, dpi: int) -> str:
    env = {**os.environ, "OMP_THREAD_LIMIT": os.environ.get("OMP_THREAD_LIMIT", "1")}  # threads only slow it down
    try:
        out = subprocess.run([cmd, "stdin", "stdout", "-l", lang, "--psm", "3", "--dpi", str(dpi), "tsv"],
                             input=image, capture_output=True, timeout=TIMEOUT, env=env)
    except FileNotFoundError as e:
        raise OcrUnavailable("tesseract is not installed") from e
    except subprocess.TimeoutExpired as e:
        raise OcrUnavailable(f"tesseract took more than {TIMEOUT} s on one page") from e
    if out.returncode != 0:
        reason = (out.stderr.decode("utf-8", "replace").strip().splitlines() or ["no message"])[-1]
        raise OcrUnavailable(f"tesseract failed: {reason}")
    return out.stdout.decode("utf-8", "replace")


def parse_tsv(tsv: str) -> list[OcrLine]:
    """Tesseract's TSV (one row per word, numbered block/paragraph/line) to lines of words."""
    lines: dict[tuple[int, int, int], list[Word]] = {}
    for row in csv.DictReader(io.StringIO(tsv), delimiter="\t", quoting=csv.QUOTE_NONE):
        if row.get("level") != "5":
            continue
        text = (row.get("text") or "").strip()
        conf = float(row.get("conf") or -1)
        if not text or conf < 0:
            continue
        if conf < MIN_CONFIDENCE and not any(c.isalnum() for c in text):
            continue
        left, top, width, height = (int(row[k]) for k in ("left", "top", "width", "height"))
        key = (int(row["block_num"]), int(row["par_num"]), int(row["line_num"]))
        lines.setdefault(key, []).append(Word(text, left, top, left + width, top + height, conf))
    return [OcrLine(tuple(sorted(ws, key=lambda w: w.x0))) for ws in lines.values()]


def ocr_page(image: Image.Image, lang: str = LANG, dpi: int = DPI) -> tuple[list[OcrLine], float | None]:
    """The lines on a page image (boxes in pixels of the prepared, deskewed image) and the
    mean word confidence (None when no word was read). OcrUnavailable without Tesseract."""
    cmd = require(lang)
    key = hashlib.sha256(f"{image.mode}|{image.size}|{cmd}|{lang}|{dpi}|".encode() + image.tobytes()).hexdigest()
    if key in _CACHE:
        _CACHE.move_to_end(key)
        lines, confidence = _CACHE[key]
        return list(lines), confidence
    prepared, _ = prepare(image)
    buf = io.BytesIO()
    prepared.save(buf, "PPM")  # uncompressed PGM: quicker to write than PNG, tesseract reads it
    lines = parse_tsv(_tesseract_tsv(buf.getvalue(), cmd, lang, dpi))
    confs = [w.confidence for ln in lines for w in ln.words]
    confidence = round(sum(confs) / len(confs), 1) if confs else None
    _CACHE[key] = (tuple(lines), confidence)
    if len(_CACHE) > _CACHE_SIZE:
        _CACHE.popitem(last=False)
    return lines, confidence
