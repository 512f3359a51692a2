"""Unicode normalisation, length-preserving cleaning, and folded keys for matching.

``nfc`` runs once, when a reader builds the document text. ``clean`` never changes the
length of a string, so offsets computed on cleaned text are valid in the original.
``fold`` builds a matching key (it may change length; never use its offsets).
"""

from __future__ import annotations

import re
import unicodedata

# Characters that become a plain space in cleaned text (same length: one for one).
_TO_SPACE = {"\n": " ", "\r": " ", "\t": " ", "\f": " ", "\v": " ", "\u00a0": " ", "\u2009": " ",
             "\u202f": " ", "\u2007": " "}
# Look-alikes folded one for one (dashes, quotes, eth for d-stroke).
_ONE_FOR_ONE = {"\u2013": "-", "\u2014": "-", "\u2212": "-", "\u2010": "-", "\u2011": "-",
                "\u2018": "'", "\u2019": "'", "\u201c": '"', "\u201d": '"',
                "\u00d0": "Đ", "\u00f0": "đ"}
_CLEAN_TABLE = str.maketrans({**_TO_SPACE, **_ONE_FOR_ONE})


def nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)


def clean(text: str) -> str:
    """Whitespace and look-alike punctuation to plain ASCII forms, one character for one."""
    return text.translate(_CLEAN_TABLE)


# Old ("hoà", "uỷ", "thuỷ") and new ("hòa", "ủy", "thủy") tone placement differ only in
# open syllables ending in oa, oe, uy. Keys move the tone to the first vowel of the pair
# (the new convention), except after "q" (in "qu" the u is part of the consonant).
_TONES = "\u0300\u0301\u0303\u0309\u0323"  # grave, acute, tilde, hook, dot below
_OLD_TONE = re.compile(r"(?<![qQ])([oOuU])([aAeEyY])([" + _TONES + r"])(?![a-zA-Z\u0300-\u036f])")


def unify_tones(text: str) -> str:
    """Old tone placement to new (``hoà`` → ``hòa``, ``Uỷ`` → ``Ủy``); result in NFC."""
    decomposed = unicodedata.normalize("NFD", text)
    moved = _OLD_TONE.sub(lambda m: m.group(1) + m.group(3) + m.group(2), decomposed)
    return unicodedata.normalize("NFC", moved)


_SPACES = re.compile(r"\s+")
_KEY_PUNCT = re.compile(r"[^\w&/ ]+")


def fold(text: str) -> str:
    """Matching key: tones unified, lower case, marks stripped, đ→d, punctuation to space."""
    t = unify_tones(clean(nfc(text))).lower().replace("đ", "d")
    t = "".join(c for c in unicodedata.normalize("NFD", t) if not unicodedata.combining(c))
    t = _KEY_PUNCT.sub(" ", t)
    return _SPACES.sub(" ", t).strip()


def fold_keep_length(text: str, lower: bool = True) -> str:
    """Marks stripped, đ→d, (lower case), one character for one: search it, keep the offsets."""
    out = []
    for ch in clean(text):
        base = unicodedata.normalize("NFD", ch)[0]
        if lower:
            base = base.lower()
        out.append({"đ": "d", "Đ": "D"}.get(base, base))
    return "".join(out)


def squash(text: str) -> str:
    """Cleaned text with runs of white space collapsed (for display values)."""
    return _SPACES.sub(" ", clean(text)).strip()
