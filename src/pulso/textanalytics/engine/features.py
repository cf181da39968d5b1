"""Fast hashed TF-IDF features for sentiment: negation-marked word 1-2-grams + word stems.

Every distinct token is hashed and stemmed once (a vocabulary of row ids into a numpy table);
a batch of comments is then featurised with array operations: negation scope, bigrams and
counts are computed for all clauses at once. Features are built per clause of a
:class:`Document`, so one pass serves the whole comment and any subset of its clauses (the
sentiment of a topic's clause). Char n-grams were measured too: about the same accuracy on
Spanish reviews at ~5x the cost, so they are left out.
"""

from __future__ import annotations

import itertools
import zlib
from collections.abc import Sequence

import numpy as np
import scipy.sparse as sp

from .normalize import PUNCTUATION, Document, stem, stem_many
from .tokens import BatchTokens, IdTable

NEGATORS = frozenset(
    "no nunca ni sin jamas tampoco nada nadie ningun ninguna not never nor without "
    "dont didnt doesnt isnt wasnt cant cannot wont nao nem don didn doesn isn wasn aren "
    "weren couldn wouldn don't didn't doesn't isn't wasn't can't won't aren't weren't "
    "couldn't wouldn't".split()
)
NEGATION_WINDOW = 3
_BITS = 20
_MASK = (1 << _BITS) - 1
_BIGRAM_BLOCK = 1 << _BITS
_STEM_BLOCK = 2 << _BITS
_WIDTH = 3 << _BITS
_VOCAB_LIMIT = 300_000
_NORMAL, _NEGATOR, _BREAK = 0, 1, 2
# columns of the per-token table
_WORD, _NEG_WORD, _STEM, _NEG_STEM, _KIND = range(5)

Span = tuple[int, Sequence[int] | None]
"""(document index, clause indexes) — None means the whole document."""


def _hash(text: str, bits: int) -> int:  # stable across processes, unlike hash()
    return zlib.crc32(text.encode("utf-8")) & ((1 << bits) - 1)


def mark_negation(text: str) -> list[str]:
    """Folded tokens; the few tokens after a negator (until punctuation) get a "~" prefix."""
    out: list[str] = []
    for marks in Document(text).marks:
        scope = 0
        for token in marks:
            if token in PUNCTUATION:
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


def _token_row(token: str, language: str) -> list[int]:
    """Hashed word, negated word, stem and negated stem columns of a token, and its kind."""
    if token in PUNCTUATION:
        return [0, 0, 0, 0, _BREAK]
    stemmed = stem(token, language)
    kind = _NEGATOR if token in NEGATORS else _NORMAL
    return [
        _hash(token, _BITS),
        _hash("~" + token, _BITS),
        _STEM_BLOCK | _hash(stemmed, _BITS),
        _STEM_BLOCK | _hash("~" + stemmed, _BITS),
        kind,
    ]


def _token_rows(tokens: list[str], language: str) -> list[list[int]]:
    """:func:`_token_row` of each token, stemmed and hashed together."""
    stemmed = stem_many(tokens, language)
    crc = zlib.crc32
    rows = [
        [
            crc(token.encode("utf-8")) & _MASK,
            crc(f"~{token}".encode()) & _MASK,
            _STEM_BLOCK | (crc(stemmed_token.encode("utf-8")) & _MASK),
            _STEM_BLOCK | (crc(f"~{stemmed_token}".encode()) & _MASK),
            _NEGATOR if token in NEGATORS else _NORMAL,
        ]
        for token, stemmed_token in zip(tokens, stemmed, strict=True)
    ]
    for k, token in enumerate(tokens):
        if token in PUNCTUATION:
            rows[k] = [0, 0, 0, 0, _BREAK]
    return rows


def _pack_rows(rows: list[list[int]]) -> np.ndarray:
    return np.asarray(rows, dtype=np.int64).reshape(-1, 5)


class _Vocabulary(dict[str, int]):
    """Token -> row of a table of its hashed word/stem columns (plain and negated) and kind;
    a token never seen gets its row on lookup (``__missing__`` is called from C). New rows wait
    in a list and reach the numpy table once per lookup: assigning one numpy row per new token
    cost more than hashing and stemming it."""

    def __init__(self, language: str) -> None:
        super().__init__()
        self.language = language
        self.table = np.zeros((1024, 5), dtype=np.int64)
        self._new: list[list[int]] = []

    def __missing__(self, token: str) -> int:
        index = len(self)
        self._new.append(self._row(token))
        self[token] = index
        return index

    def _row(self, token: str) -> list[int]:
        return _token_row(token, self.language)

    def lookup(self, tokens: list[str]) -> np.ndarray:
        """Table rows of `tokens`, adding the ones never seen."""
        if len(self) >= _VOCAB_LIMIT:
            self.clear()  # bounded memory under adversarial vocabularies
        # a list first: np.fromiter over the map costs more than building the list
        ids = np.array(list(map(self.__getitem__, tokens)), dtype=np.int64)
        if self._new:
            self._store_new()
        return ids

    def _store_new(self) -> None:
        rows = np.asarray(self._new, dtype=np.int64)
        end = len(self)
        start = end - len(rows)
        while end > len(self.table):
            self.table = np.concatenate([self.table, np.zeros_like(self.table)])
        self.table[start:end] = rows
        self._new = []


def _clause_entries(
    vocab: _Vocabulary, docs: Sequence[Document]
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(clause number, hashed column) of every feature occurrence, and clauses per document."""
    clauses = [marks for doc in docs for marks in doc.marks]
    lengths = np.fromiter(map(len, clauses), dtype=np.int64, count=len(clauses))
    flat = list(itertools.chain.from_iterable(clauses))
    ids = vocab.lookup(flat)  # may grow the table: look it up after
    per_doc = np.fromiter((len(d.marks) for d in docs), dtype=np.int64, count=len(docs))
    return _entries(vocab.table[ids], lengths, per_doc)


def _entries(
    info: np.ndarray, lengths: np.ndarray, per_doc: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """:func:`_clause_entries` from the table rows of every mark and the marks per clause."""
    clause_of = np.repeat(np.arange(len(lengths), dtype=np.int64), lengths)
    kind = info[:, _KIND]
    pos = np.arange(len(info), dtype=np.int64)
    starts = np.cumsum(lengths) - lengths
    reset = kind == _BREAK
    reset[starts[lengths > 0]] = True
    last_reset = np.maximum.accumulate(np.where(reset, pos, -1))
    last_neg = np.maximum.accumulate(np.where(kind == _NEGATOR, pos, -1))
    distance = pos - last_neg
    negated = (last_neg >= last_reset) & (distance >= 1) & (distance <= NEGATION_WINDOW)
    negated &= kind == _NORMAL
    keep = np.flatnonzero(kind != _BREAK)
    word = np.where(negated, info[:, _NEG_WORD], info[:, _WORD])[keep]
    stems = np.where(negated, info[:, _NEG_STEM], info[:, _STEM])[keep]
    owner = clause_of[keep]
    pair = np.flatnonzero(owner[:-1] == owner[1:])
    bigrams = _BIGRAM_BLOCK | ((word[pair] * 1_000_003 ^ word[pair + 1]) & _MASK)
    cols = np.concatenate([word, bigrams, stems])
    owners = np.concatenate([owner, owner[pair], owner])
    return owners, cols, per_doc


class HashedFeaturizer:
    """Stateless hashing plus a learned IDF restricted to columns seen in training."""

    def __init__(self, language: str = "es", min_df: int = 2) -> None:
        self.language = language
        self.min_df = min_df
        self.columns: np.ndarray = np.zeros(0, dtype=np.int64)
        self.idf: np.ndarray = np.zeros(0, dtype=np.float32)
        self.n_word_columns = 0
        self._vocab: _Vocabulary | None = None
        self._lookup: np.ndarray | None = None

    def __getstate__(self) -> dict[str, object]:
        state = self.__dict__.copy()
        state["_vocab"] = None  # caches are rebuilt lazily, not stored with the model
        state["_lookup"] = None
        state.pop("_id_rows", None)
        return state

    def _rows_of(self, batch: BatchTokens) -> np.ndarray:
        """The vocabulary table's rows of the batch's marks (see tokens.py)."""
        rows: IdTable[list[int]] | None = self.__dict__.get("_id_rows")
        if rows is None:
            language = self.language
            rows = IdTable(lambda marks: _token_rows(marks, language), _pack_rows)
            self.__dict__["_id_rows"] = rows
        return rows.gather(batch)

    @property
    def n_features(self) -> int:
        return len(self.columns)

    @property
    def vocabulary(self) -> _Vocabulary:
        if self._vocab is None:
            self._vocab = _Vocabulary(self.language)
        return self._vocab

    def fit(self, texts: Sequence[str | Document]) -> HashedFeaturizer:
        """Learn which hashed columns occur in >= min_df texts and their IDF."""
        docs = _documents(texts)
        owners, cols, per_doc = _clause_entries(self.vocabulary, docs)
        doc_of_clause = np.repeat(np.arange(len(docs), dtype=np.int64), per_doc)
        keys = np.unique(doc_of_clause[owners] * _WIDTH + cols)
        df = np.bincount(keys % _WIDTH, minlength=_WIDTH)
        self.columns = np.flatnonzero(df >= self.min_df).astype(np.int64)
        n = len(docs)
        self.idf = (np.log((1 + n) / (1 + df[self.columns])) + 1).astype(np.float32)
        self.n_word_columns = int(np.searchsorted(self.columns, _STEM_BLOCK))
        self._lookup = None
        return self

    def _column_lookup(self) -> np.ndarray:
        if self._lookup is None:
            lookup = np.full(_WIDTH, -1, dtype=np.int32)
            lookup[self.columns] = np.arange(len(self.columns), dtype=np.int32)
            self._lookup = lookup
        return self._lookup

    def transform(self, texts: Sequence[str | Document]) -> sp.csr_matrix:
        """Sublinear TF-IDF of whole texts (see transform_spans)."""
        docs = _documents(texts)
        return self.transform_spans(docs, [(i, None) for i in range(len(docs))])

    def transform_spans(self, docs: Sequence[Document], spans: Sequence[Span]) -> sp.csr_matrix:
        """One row per span (a document or some of its clauses): sublinear TF-IDF, the
        word/bigram block and the stem block each L2-normalised."""
        return self.transform_spans_with_coverage(docs, spans)[0]

    def transform_spans_with_coverage(
        self, docs: Sequence[Document], spans: Sequence[Span], batch: BatchTokens | None = None
    ) -> tuple[sp.csr_matrix, np.ndarray]:
        """:meth:`transform_spans` and, per span, the share of its word stems seen in
        training (1.0 for a span without words): how much of the text the model knows.
        `batch`, when given, holds the documents' marks already looked up."""
        if batch is None:
            owners, hashed, per_doc = _clause_entries(self.vocabulary, docs)
        else:
            info = self._rows_of(batch)
            owners, hashed, per_doc = _entries(info, batch.clause_lengths, batch.clauses_per_doc)
        cols = self._column_lookup()[hashed]
        known = cols >= 0
        n_clauses = int(per_doc.sum())
        stems = hashed >= _STEM_BLOCK
        stem_total = np.bincount(owners[stems], minlength=n_clauses).astype(np.float32)
        stem_known = np.bincount(owners[stems & known], minlength=n_clauses).astype(np.float32)
        owners, cols = owners[known], cols[known]
        # Clause x feature occurrences as CSR with repeated entries: the product with the
        # span selection sums them (timsort merges the three clause-ordered runs in O(n)).
        order = np.argsort(owners, kind="stable")
        indptr = np.concatenate([[0], np.cumsum(np.bincount(owners, minlength=n_clauses))])
        ones = np.ones(len(order), dtype=np.float32)
        shape = (n_clauses, len(self.columns))
        clauses = sp.csr_matrix((ones, cols[order].astype(np.int32), indptr), shape=shape)
        selection = _span_selection(per_doc, spans)
        total, seen = selection @ stem_total, selection @ stem_known
        coverage = np.where(total > 0, seen / np.maximum(total, 1.0), 1.0)
        return self._weight(selection @ clauses), coverage

    def _weight(self, x: sp.csr_matrix) -> sp.csr_matrix:
        rows = np.repeat(np.arange(x.shape[0], dtype=np.int64), np.diff(x.indptr))
        data = (1.0 + np.log(x.data)) * self.idf[x.indices]
        row_block = rows * 2 + (x.indices >= self.n_word_columns)
        norms = np.bincount(row_block, weights=data * data, minlength=2 * x.shape[0])
        x.data = (data / np.sqrt(np.maximum(norms[row_block], 1e-12))).astype(np.float32)
        return x


def _documents(texts: Sequence[str | Document]) -> list[Document]:
    return [t if isinstance(t, Document) else Document(t) for t in texts]


def _span_selection(per_doc: np.ndarray, spans: Sequence[Span]) -> sp.csr_matrix:
    """Span x clause 0/1 matrix: which clauses each span adds up."""
    counts = per_doc.tolist()
    parts = [range(counts[doc]) if clauses is None else clauses for doc, clauses in spans]
    sizes = np.fromiter(map(len, parts), dtype=np.int64, count=len(parts))
    within = np.fromiter(itertools.chain.from_iterable(parts), dtype=np.int64)
    docs = np.fromiter((doc for doc, _ in spans), dtype=np.int64, count=len(spans))
    first = np.cumsum(per_doc) - per_doc
    cols = (np.repeat(first[docs], sizes) + within).astype(np.int32)
    indptr = np.concatenate([[0], np.cumsum(sizes)])
    ones = np.ones(len(cols), dtype=np.float32)
    shape = (len(spans), int(per_doc.sum()))
    return sp.csr_matrix((ones, cols, indptr), shape=shape)
