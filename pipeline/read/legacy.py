"""Pre-Unicode Vietnamese encodings (TCVN3, VNI): detect them and convert to Unicode.

Text typed in the TCVN3 (.VnTime) or VNI (VNI-Times) fonts was stored as Windows-1252
bytes; read as such it looks like ``KÕ ho¹ch`` (TCVN3) or ``Keá hoaïch`` (VNI). The
conversion tables are data (``legacy_tables.yml``: the 134 letter forms); this module only
applies them. Readers convert *before* the text builder's NFC normalisation.

``detect(text)`` names the encoding, ``to_unicode(text, encoding)`` converts, and
``from_unicode`` writes Unicode back in a legacy encoding (used to make test documents
and to test the tables by round trip). ``font_encoding`` names the encoding a font
implies (``.VnTime`` → tcvn3, ``VNI-Times`` → vni).
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from pathlib import Path

import yaml

TABLES = Path(__file__).resolve().parent / "legacy_tables.yml"
ENCODINGS = ("tcvn3", "vni")

# Letters only Unicode Vietnamese has (ă đ ĩ ũ ơ ư and the Latin Extended Additional block).
_UNICODE_VI = re.compile("[\u0102\u0103\u0110\u0111\u0128\u0129\u0168\u0169\u01a0\u01a1\u01af\u01b0"
                         "\u1ea0-\u1ef9]")
_WORD = re.compile(r"[^\s\d.,;:!?()\[\]{}\"'/\\|<>=+*_&%-]+")
_TONE_MARKS = dict.fromkeys(map(ord, "\u0300\u0301\u0303\u0309\u0323"))

MIN_WORDS = 3  # converted words needed before a guess is made
MIN_SHARE = 0.15  # ... and their share of all words (Vietnamese in either encoding: 0.4 and more)
SAMPLE_WORDS = 5000


@lru_cache(maxsize=1)
def _syllable() -> re.Pattern:
    """One syllable, tone marks removed (legacy_tables.yml: onsets, nuclei, codas)."""
    parts = yaml.safe_load(TABLES.read_text(encoding="utf-8"))["syllable"]
    alt = lambda xs: "|".join(re.escape(x) for x in sorted(xs, key=len, reverse=True))
    return re.compile(f"(?:{alt(parts['onsets'])})?(?:{alt(parts['nuclei'])})(?:{alt(parts['codas'])})?")


def _is_syllable(word: str) -> bool:
    bare = unicodedata.normalize("NFC", unicodedata.normalize("NFD", word.lower()).translate(_TONE_MARKS))
    return _syllable().fullmatch(bare) is not None


@lru_cache(maxsize=1)
def tables() -> dict[str, dict[str, dict[str, str]]]:
    """``{encoding: {"encode": {unicode: legacy}, "decode": {legacy: unicode}}}`` from the data file."""
    rows = yaml.safe_load(TABLES.read_text(encoding="utf-8"))["letters"]
    out: dict[str, dict[str, dict[str, str]]] = {}
    for col, enc in enumerate(ENCODINGS, start=1):
        encode = {r[0]: r[col] for r in rows}
        decode: dict[str, str] = {}
        for r in rows:  # lower case first: a TCVN3 code shared by a capital decodes to the lower-case letter
            decode.setdefault(r[col], r[0])
        if enc == "vni":  # a capital base letter with a lower-case mark (Title Case typed carelessly)
            for r in rows:
                legacy = r[col]
                if len(legacy) == 2 and r[0].isupper():
                    decode.setdefault(legacy[0] + legacy[1].lower(), r[0])
        out[enc] = {"encode": encode, "decode": decode}
    return out


def detect(text: str) -> str | None:
    """'tcvn3' or 'vni' when the text reads like one of them, else None (Unicode, English…).

    A word counts for an encoding when converting it changes it into a well-formed
    Vietnamese syllable; the encoding with most such words wins if they are at least
    ``MIN_WORDS`` and ``MIN_SHARE`` of the words. Text that already has letters only
    Unicode Vietnamese has is left alone.
    """
    words = [w for w in _WORD.findall(text)[:SAMPLE_WORDS] if any(c.isalpha() for c in w)]
    if not words:
        return None
    if sum(1 for w in words if _UNICODE_VI.search(w)) > 0.05 * len(words):
        return None  # already Unicode Vietnamese
    scores = {}
    for enc in ENCODINGS:
        hits = 0
        for w in words:
            u = to_unicode(w, enc)
            hits += u != w and _is_syllable(u)
        scores[enc] = hits
    best = max(scores, key=scores.get)
    n = scores[best]
    return best if n >= MIN_WORDS and n >= MIN_SHARE * len(words) else None


def decode_bytes(data: bytes) -> tuple[str, str] | None:
    """Bytes that are not UTF-8: (Unicode text, encoding) for the reading in which most words
    are Vietnamese syllables with Vietnamese letters (TCVN3, VNI as Windows-1252 bytes; or
    Windows-1258, tones as combining marks); None when no reading is Vietnamese."""
    try:
        western = data.decode("cp1252")
    except UnicodeDecodeError:  # the five bytes Windows-1252 leaves undefined
        western = data.decode("latin-1")
    candidates = {enc: to_unicode(western, enc) for enc in ENCODINGS}
    candidates["cp1258"] = unicodedata.normalize("NFC", data.decode("cp1258", errors="replace"))
    scores = {}
    for enc, text in candidates.items():
        words = [w for w in _WORD.findall(text)[:SAMPLE_WORDS] if any(c.isalpha() for c in w)]
        good = sum(1 for w in words if _UNICODE_VI.search(w) and _is_syllable(w))
        scores[enc] = (good, len(words))
    best = max(scores, key=lambda e: scores[e][0])
    good, total = scores[best]
    return (candidates[best], best) if good >= MIN_WORDS and good >= MIN_SHARE * total else None


def to_unicode(text: str, encoding: str) -> str:
    """Legacy text to Unicode (precomposed letters); anything not in the table is kept."""
    decode = tables()[encoding]["decode"]
    if encoding == "tcvn3":
        return text.translate(str.maketrans({k: v for k, v in decode.items() if len(k) == 1}))
    out, i, n = [], 0, len(text)
    while i < n:  # longest match first: base letter + mark, then single characters
        pair = text[i:i + 2]
        if len(pair) == 2 and pair in decode:
            out.append(decode[pair])
            i += 2
        else:
            out.append(decode.get(text[i], text[i]))
            i += 1
    return "".join(out)


def from_unicode(text: str, encoding: str) -> str:
    """Unicode to a legacy encoding (as Windows-1252 text). TCVN3 loses the case of toned capitals."""
    encode = tables()[encoding]["encode"]
    return "".join(encode.get(ch, ch) for ch in unicodedata.normalize("NFC", text))


_TCVN3_FONT = re.compile(r"^\.?vn[a-z]", re.I)  # .VnTime, .VnTimeH, .VnArial NarrowH, VnTime
_VNI_FONT = re.compile(r"^vni[- ]", re.I)  # VNI-Times, VNI-Helve


def font_encoding(font: str | None) -> str | None:
    """The legacy encoding a font name implies ("ABCDEF+.VnTimeH" from a PDF included)."""
    if not font:
        return None
    name = font.split("+", 1)[-1].strip()
    if _VNI_FONT.match(name):
        return "vni"
    if _TCVN3_FONT.match(name):
        return "tcvn3"
    return None


def is_upper_font(font: str | None) -> bool:
    """TCVN3 upper-case fonts (.VnTimeH …) draw the lower-case codes as capitals."""
    if font_encoding(font) != "tcvn3":
        return False
    name = font.split("+", 1)[-1].strip()
    name = re.sub(r"[,-](bold|italic|bolditalic)$", "", name, flags=re.I)
    return name.endswith("H")
