"""Fast hashed TF-IDF features for sentiment: negation-marked word 1-2-grams + char_wb n-grams.

scikit-learn's char_wb analyser costs ~0.7 ms per 400-character comment. Char n-grams "within
word boundaries" depend on the word only, so we hash them once per distinct word and cache the
result; a comment then costs a few dictionary look-ups per token.
"""

from __future__ import annotations

import re
import zlib
from collections.abc import Sequence

import numpy as np
import scipy.sparse as sp

from .normalize import fold

_MARK_RE = re.compile(r"[^\W_]+|[.,;:!?()]")
_BREAKS = frozenset(".,;:!?()")
NEGATORS = frozenset(
    "no nunca ni sin jamas tampoco nada nadie ningun ninguna not never nor without "
    "dont didnt doesnt isnt wasnt cant cannot wont nao nem".split()
)
NEGATION_WINDOW = 3
_WORD_BITS = 21
_CHAR_BITS = 21
_CACHE_LIMIT = 300_000


def _hash(text: str, bits: int) -> int:
    return zlib.crc32(text.encode("utf-8")) & ((1 << bits) - 1)


def mark_negation(text: str) -> list[str]:
    """Folded tokens; the few tokens after a negator (until punctuation) get a "~" prefix."""
    out: list[str] = []
    scope = 0
    for token in _MARK_RE.findall(fold(text)):
        if token in _BREAKS:
            scope = 0
        elif token in NEGATORS:
            scope = NEGATION_WINDOW
            out.append(token)
        elif scope:
            out.append("~" + token)
            scope -= 1
        else:
            out.append(token)
    return out


class HashedFeaturizer:
    """Stateless hashing plus a learned IDF restricted to columns seen in training."""

    def __init__(self, char_range: tuple[int, int] = (2, 5), min_df: int = 2) -> None:
        self.char_range = char_range
        self.min_df = min_df
        self.columns: np.ndarray = np.zeros(0, dtype=np.int64)
        self.idf: np.ndarray = np.zeros(0, dtype=np.float32)
        self.n_word_columns = 0
        self._cache: dict[str, tuple[int, np.ndarray]] = {}

    def __getstate__(self) -> dict[str, object]:
        state = self.__dict__.copy()
        state["_cache"] = {}  # a cache is not part of the model
        return state

    def _token_features(self, token: str) -> tuple[int, np.ndarray]:
        hit = self._cache.get(token)
        if hit is not None:
            return hit
        word_id = _hash(token, _WORD_BITS)
        base = token.lstrip("~")
        padded = f" {base} "
        lo, hi = self.char_range
        grams = {
            padded[i : i + n] for n in range(lo, hi + 1) for i in range(len(padded) - n + 1)
        }
        offset = 1 << _WORD_BITS
        chars = np.fromiter((offset + _hash(g, _CHAR_BITS) for g in grams), dtype=np.int64)
        if len(self._cache) >= _CACHE_LIMIT:
            self._cache.clear()
        self._cache[token] = (word_id, chars)
        return word_id, chars

    def _doc_columns(self, text: str) -> np.ndarray:
        tokens = mark_negation(text)
        feats = [self._token_features(t) for t in tokens]
        words = [w for w, _ in feats]
        mask = (1 << _WORD_BITS) - 1
        bigrams = [(a * 1_000_003 ^ b) & mask for a, b in zip(words, words[1:], strict=False)]
        parts = [np.asarray(words + bigrams, dtype=np.int64)] + [c for _, c in feats]
        return np.concatenate(parts)

    def _raw_counts(self, texts: Sequence[str]) -> sp.csr_matrix:
        cols = [self._doc_columns(t) for t in texts]
        lengths = np.fromiter((len(c) for c in cols), dtype=np.int64, count=len(cols))
        rows = np.repeat(np.arange(len(texts), dtype=np.int64), lengths)
        flat = np.concatenate(cols) if cols else np.zeros(0, dtype=np.int64)
        width = 1 << (_WORD_BITS + 1)
        data = np.ones(len(flat), dtype=np.float32)
        return sp.csr_matrix((data, (rows, flat)), shape=(len(texts), width))

    def fit(self, texts: Sequence[str]) -> HashedFeaturizer:
        """Learn which hashed columns occur in >= min_df texts and their IDF."""
        counts = self._raw_counts(texts)
        df = np.bincount(counts.indices, minlength=counts.shape[1])
        self.columns = np.flatnonzero(df >= self.min_df).astype(np.int64)
        n = counts.shape[0]
        self.idf = (np.log((1 + n) / (1 + df[self.columns])) + 1).astype(np.float32)
        self.n_word_columns = int(np.searchsorted(self.columns, 1 << _WORD_BITS))
        return self

    def transform(self, texts: Sequence[str]) -> sp.csr_matrix:
        """Sublinear TF-IDF, word block and char block each L2-normalised."""
        counts = self._raw_counts(texts).tocoo()
        pos = np.searchsorted(self.columns, counts.col)
        pos = np.minimum(pos, len(self.columns) - 1)
        keep = self.columns[pos] == counts.col
        rows, cols = counts.row[keep], pos[keep]
        data = (1.0 + np.log(counts.data[keep])) * self.idf[cols]
        block = (cols >= self.n_word_columns).astype(np.int64)
        norms = np.bincount(rows * 2 + block, weights=data * data, minlength=2 * len(texts))
        data = data / np.sqrt(np.maximum(norms[rows * 2 + block], 1e-12))
        shape = (len(texts), len(self.columns))
        return sp.csr_matrix((data.astype(np.float32), (rows, cols)), shape=shape)
