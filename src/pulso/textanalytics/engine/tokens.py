"""One id per distinct mark (folded token or punctuation), shared by every stage of a batch.

A batch's marks are looked up once (:class:`BatchTokens`); each stage then reads what it
needs about a mark from its own table indexed by id (sentiment feature columns, topic
candidates, key-phrase kinds, function-word languages) with numpy, instead of one dictionary
pass per stage. Tables are filled for new ids only (:class:`IdTable`), so each mark is
stemmed, hashed and matched once per process.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence
from itertools import chain
from typing import TYPE_CHECKING, Generic, TypeVar

import numpy as np

from .normalize import PUNCTUATION

if TYPE_CHECKING:
    from .normalize import Document

INDEX_LIMIT = 500_000
"""More distinct marks than this (an adversarial vocabulary) start the index afresh."""

T = TypeVar("T")


class TokenIndex(dict[str, int]):
    """Mark -> id; a new mark gets the next id (``__missing__`` is called from C)."""

    def __init__(self) -> None:
        super().__init__()
        self.marks: list[str] = []
        self._lock = threading.Lock()  # the web server analyses in threads

    def __missing__(self, mark: str) -> int:
        with self._lock:
            number = dict.get(self, mark)  # another thread may have added it meanwhile
            if number is None:
                number = len(self.marks)
                self.marks.append(mark)
                self[mark] = number
            return number

    def ids(self, marks: list[str]) -> np.ndarray:
        # a list first: np.fromiter over the map costs more than building the list
        return np.array(list(map(self.__getitem__, marks)), dtype=np.int64)


_index = TokenIndex()
_index_lock = threading.Lock()


def shared_index(limit: int = INDEX_LIMIT) -> TokenIndex:
    """The process's token index. A full one (an adversarial vocabulary) is replaced by a
    new, empty one: batches that hold ids of the old one keep reading it."""
    global _index
    with _index_lock:
        if len(_index.marks) >= limit:
            _index = TokenIndex()
        return _index


class IdTable(Generic[T]):
    """Values of `compute(marks)` by token id, computed the first time an id is asked for
    (a language's table only ever computes the marks of that language's comments), kept as
    numpy rows (`pack`) for gathers and, with `keep_values`, as Python objects too. A table
    follows one index at a time: a batch of a newer index starts it afresh."""

    def __init__(
        self,
        compute: Callable[[list[str]], list[T]],
        pack: Callable[[list[T]], np.ndarray],
        keep_values: bool = False,
    ) -> None:
        self.compute = compute  # the values of a list of new marks
        self.pack = pack
        self.keep_values = keep_values
        self.index: TokenIndex | None = None
        self.values: list[T | None] = []
        self.array = pack([])
        self.known = np.zeros(0, dtype=bool)
        self._lock = threading.Lock()

    def gather(self, batch: BatchTokens) -> np.ndarray:
        """The packed values of the batch's marks (computing those never asked for)."""
        with self._lock:
            self._fill(batch.ids, batch.index)
            return self.array[batch.ids]

    def gather_values(self, batch: BatchTokens) -> tuple[np.ndarray, list[T | None]]:
        """:meth:`gather` and the Python values by id (read them for the batch's ids only)."""
        with self._lock:
            self._fill(batch.ids, batch.index)
            return self.array[batch.ids], self.values

    def _fill(self, ids: np.ndarray, index: TokenIndex) -> None:
        if self.index is not index:
            self.index, self.values = index, []
            self.array, self.known = self.pack([]), np.zeros(0, dtype=bool)
        size = len(index.marks)
        if size > len(self.known):
            capacity = max(1024, 2 * size)
            self.known = np.concatenate([self.known, np.zeros(capacity - len(self.known), bool)])
            grown = np.zeros((capacity, *self.array.shape[1:]), dtype=self.array.dtype)
            grown[: len(self.array)] = self.array
            self.array = grown
            if self.keep_values:
                self.values += [None] * (capacity - len(self.values))
        missing = ids[~self.known[ids]]
        if not len(missing):
            return
        missing = np.unique(missing)
        marks = index.marks
        new = self.compute([marks[i] for i in missing.tolist()])
        if self.keep_values:
            for i, value in zip(missing.tolist(), new, strict=True):
                self.values[i] = value
        self.array[missing] = self.pack(new)
        self.known[missing] = True


class BatchTokens:
    """The marks of a batch of documents as token ids, with clause and document bounds."""

    __slots__ = ("index", "ids", "clause_lengths", "clauses_per_doc", "marks_per_doc")

    def __init__(
        self,
        index: TokenIndex,
        ids: np.ndarray,
        clause_lengths: np.ndarray,
        clauses_per_doc: np.ndarray,
        marks_per_doc: np.ndarray,
    ) -> None:
        self.index = index
        self.ids = ids
        self.clause_lengths = clause_lengths
        self.clauses_per_doc = clauses_per_doc
        self.marks_per_doc = marks_per_doc

    @classmethod
    def of(cls, docs: Sequence[Document]) -> BatchTokens:
        index = shared_index()
        clauses = [marks for doc in docs for marks in doc.marks]
        ids = index.ids(list(chain.from_iterable(clauses)))
        lengths = np.fromiter(map(len, clauses), dtype=np.int64, count=len(clauses))
        per_doc = np.fromiter((len(d.marks) for d in docs), dtype=np.int64, count=len(docs))
        ends = np.cumsum(lengths)
        doc_ends = np.cumsum(per_doc)
        marks_end = np.concatenate([[0], ends])[doc_ends]
        marks_per_doc = np.diff(np.concatenate([[0], marks_end]))
        return cls(index, ids, lengths, per_doc, marks_per_doc)

    def subset(self, keep: np.ndarray) -> BatchTokens:
        """The documents whose positions `keep` lists, in that order (an increasing list)."""
        if len(keep) == len(self.clauses_per_doc):
            return self
        doc_of_mark = np.repeat(np.arange(len(self.marks_per_doc)), self.marks_per_doc)
        doc_of_clause = np.repeat(np.arange(len(self.clauses_per_doc)), self.clauses_per_doc)
        wanted = np.zeros(len(self.clauses_per_doc), dtype=bool)
        wanted[keep] = True
        return BatchTokens(
            self.index,
            self.ids[wanted[doc_of_mark]],
            self.clause_lengths[wanted[doc_of_clause]],
            self.clauses_per_doc[keep],
            self.marks_per_doc[keep],
        )

    def doc_of_mark(self) -> np.ndarray:
        return np.repeat(np.arange(len(self.marks_per_doc)), self.marks_per_doc)


def _are_words(marks: list[str]) -> list[bool]:
    return [mark not in PUNCTUATION for mark in marks]


def _pack_bools(values: list[bool]) -> np.ndarray:
    return np.fromiter(values, dtype=bool, count=len(values))


WORD_MARKS: IdTable[bool] = IdTable(_are_words, _pack_bools)
"""Whether each id is a word (not punctuation)."""
