"""Spanish-aware search normalisation: lower case, Snowball stem, then fold accents.

Stemming happens before folding because the Spanish stemmer knows accented suffixes
("-ación"); folding afterwards makes "instalacion" and "instalación" meet on "instal".
The same function runs on stored text and on queries, so they always agree.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

import snowballstemmer

WORD = re.compile(r"\w+", re.UNICODE)
_STEMMERS = {
    "es": snowballstemmer.stemmer("spanish"),
    "en": snowballstemmer.stemmer("english"),
}


def fold_accents(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c))


@lru_cache(maxsize=100_000)
def normalise_word(word: str, language: str = "es") -> str:
    stemmer = _STEMMERS.get(language, _STEMMERS["es"])
    return fold_accents(stemmer.stemWord(word.lower()))


def search_tokens(text: str, language: str = "es") -> list[str]:
    """The normalised tokens of ``text`` (duplicates removed, order kept)."""
    tokens = (normalise_word(w, language) for w in WORD.findall(text))
    return list(dict.fromkeys(t for t in tokens if t))


def search_document(text: str, language: str = "es") -> str:
    """What is stored for ``text``: its tokens between spaces, so " tok" marks a word start."""
    tokens = search_tokens(text, language)
    return f" {' '.join(tokens)} " if tokens else ""
