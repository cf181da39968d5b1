"""One id per distinct mark (folded token or punctuation), shared by every stage of a batch.

A batch's marks are looked up once (:class:`BatchTokens`); each stage then reads what it
needs about a mark from its own table indexed by id (sentiment feature columns, topic
candidates, key-phrase kinds, function-word languages) with numpy, instead of one dictionary
pass per stage. Tables are filled for new ids only (:class:`IdTable`), so each mark is
stemmed, hashed and matched once per process.
"""

from __future__ import annotations

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
        self.generation = 0  # bumped when the index starts afresh: tables must refill

    def __missing__(self, mark: str) -> int:
        number = len(self.marks)
        self.marks.append(mark)
        self[mark] = number
        return number

    def ids(self, marks: list[str]) -> np.ndarray:
        # a list first: np.fromiter over the map costs more than building the list
        return np.array(list(map(self.__getitem__, marks)), dtype=np.int64)

    def start_afresh_if_full(self, limit: int = INDEX_LIMIT) -> None:
        """Bounded memory: called between batches, never while a batch holds ids."""
        if len(self.marks) >= limit:
            self.clear()
            self.marks = []
            self.generation += 1


INDEX = TokenIndex()


class IdTable(Generic[T]):
    """Values of `compute(mark)` by INDEX id, computed the first time an id is asked for
    (a language's table only ever computes the marks of that language's comments), kept as
    numpy rows (`pack`) for gathers and, with `keep_values`, as Python objects too."""

    def __init__(
        self,
        compute: Callable[[list[str]], list[T]],
        pack: Callable[[list[T]], np.ndarray],
        keep_values: bool = False,
    ) -> None:
        self.compute = compute  # the values of a list of new marks
        self.pack = pack
        self.keep_values = keep_values
        self.values: list[T | None] = []
        self.array = pack([])
        self.known = np.zeros(0, dtype=bool)
        self.generation = INDEX.generation

    def gather(self, ids: np.ndarray) -> np.ndarray:
        """The packed values of `ids` (computing those never asked for)."""
        self.fill(ids)
        return self.array[ids]

    def fill(self, ids: np.ndarray) -> None:
        """Compute the values of the ids among `ids` never asked for."""
        if self.generation != INDEX.generation:
            self.generation = INDEX.generation
            self.values, self.array, self.known = [], self.pack([]), np.zeros(0, dtype=bool)
        size = len(INDEX.marks)
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
        marks = INDEX.marks
        new = self.compute([marks[i] for i in missing.tolist()])
        if self.keep_values:
            for i, value in zip(missing.tolist(), new, strict=True):
                self.values[i] = value
        self.array[missing] = self.pack(new)
        self.known[missing] = True


class BatchTokens:
    """The marks of a batch of documents as INDEX ids, with clause and document bounds."""

    __slots__ = ("ids", "clause_lengths", "clauses_per_doc", "marks_per_doc")

    def __init__(
        self,
        ids: np.ndarray,
        clause_lengths: np.ndarray,
        clauses_per_doc: np.ndarray,
        marks_per_doc: np.ndarray,
    ) -> None:
        self.ids = ids
        self.clause_lengths = clause_lengths
        self.clauses_per_doc = clauses_per_doc
        self.marks_per_doc = marks_per_doc

    @classmethod
    def of(cls, docs: Sequence[Document]) -> BatchTokens:
        INDEX.start_afresh_if_full()
        clauses = [marks for doc in docs for marks in doc.marks]
        ids = INDEX.ids(list(chain.from_iterable(clauses)))
        lengths = np.fromiter(map(len, clauses), dtype=np.int64, count=len(clauses))
        per_doc = np.fromiter((len(d.marks) for d in docs), dtype=np.int64, count=len(docs))
        ends = np.cumsum(lengths)
        doc_ends = np.cumsum(per_doc)
        marks_end = np.concatenate([[0], ends])[doc_ends]
        marks_per_doc = np.diff(np.concatenate([[0], marks_end]))
        return cls(ids, lengths, per_doc, marks_per_doc)

    def subset(self, keep: np.ndarray) -> BatchTokens:
        """The documents whose positions `keep` lists, in that order (an increasing list)."""
        if len(keep) == len(self.clauses_per_doc):
            return self
        doc_of_mark = np.repeat(np.arange(len(self.marks_per_doc)), self.marks_per_doc)
        doc_of_clause = np.repeat(np.arange(len(self.clauses_per_doc)), self.clauses_per_doc)
        wanted = np.zeros(len(self.clauses_per_doc), dtype=bool)
        wanted[keep] = True
        return BatchTokens(
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
