"""Topic rules: a small boolean query language matched on accent-folded tokens and stems.

Syntax (operators in capitals; anything else is a search term):
    word          matches the word and its inflections (same Snowball stem, accents ignored)
    instal*       any token starting with "instal"
    "cobro doble" consecutive tokens (each matched like a word)
    a AND b, a b  both (adjacent terms are AND-ed)
    a OR b        either
    NOT a         a is absent (at least one positive term must remain in the rule)
    a NEAR/3 b    a and b within 3 tokens of each other
    ( ... )       grouping; precedence NOT > NEAR > AND > OR
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import partial
from itertools import chain, compress, repeat
from typing import Any, Union

import numpy as np

from .base import SentimentPredictor
from .normalize import (
    PUNCTUATION,
    Document,
    TokenMemo,
    clauses_at,
    fold,
    stem,
    stem_many,
    tokenize,
)
from .tokens import WORD_MARKS, BatchTokens, IdTable

_LEX_RE = re.compile(r'\s+|\(|\)|"[^"]*"?|NEAR/\d+|[^\s()"]+')
_TERM_RE = re.compile(r"^[^\W_]+(?:'[^\W_]+)?\*?$")
MIN_WILDCARD = 3
_AND_STARTS = frozenset(["AND", "TERM", "PHRASE", "(", "NOT"])  # adjacent terms are AND-ed


class RuleSyntaxError(ValueError):
    """A topic rule that does not parse; `position` is a 0-based character offset."""

    def __init__(self, reason: str, position: int) -> None:
        super().__init__(f"position {position}: {reason}")
        self.reason = reason
        self.position = position


@dataclass(frozen=True, slots=True)
class Term:
    words: tuple[str, ...]  # folded; a phrase has several
    wildcard: bool = False


@dataclass(frozen=True, slots=True)
class Op:
    kind: str  # "AND", "OR", "NOT", "NEAR"
    children: tuple[Node, ...]
    distance: int = 0


Node = Union[Term, Op]  # noqa: UP007 - a runtime alias used before Op is complete


@dataclass(frozen=True, slots=True)
class _Token:
    kind: str  # "(", ")", "AND", "OR", "NOT", "NEAR", "TERM"
    text: str
    position: int


def _lex(rule: str) -> list[_Token]:
    tokens: list[_Token] = []
    for match in _LEX_RE.finditer(rule):
        text, pos = match.group(0), match.start()
        if text.isspace():
            continue
        if text in ("(", ")", "AND", "OR", "NOT"):
            tokens.append(_Token(text, text, pos))
        elif text.startswith("NEAR/"):
            tokens.append(_Token("NEAR", text[5:], pos))
        elif text.startswith('"'):
            if len(text) < 2 or not text.endswith('"'):
                raise RuleSyntaxError("unterminated quoted phrase", pos)
            tokens.append(_Token("PHRASE", text[1:-1], pos))
        else:
            tokens.append(_Token("TERM", text, pos))
    return tokens


class _Parser:
    """Recursive-descent parser; every error names the character position."""

    def __init__(self, rule: str) -> None:
        self.rule = rule
        self.tokens = _lex(rule)
        self.i = 0

    def parse(self) -> Node:
        if not self.tokens:
            raise RuleSyntaxError("empty rule", 0)
        node = self._or()
        if self.i < len(self.tokens):
            tok = self.tokens[self.i]
            reason = f"unexpected {tok.text!r}"
            if tok.kind == ")":
                reason = "unbalanced ')': no matching '('"
            raise RuleSyntaxError(reason, tok.position)
        if not _has_positive(node):
            raise RuleSyntaxError("a rule needs at least one term that is not negated", 0)
        return node

    def _peek(self) -> _Token | None:
        return self.tokens[self.i] if self.i < len(self.tokens) else None

    def _or(self) -> Node:
        nodes = [self._and()]
        while (tok := self._peek()) is not None and tok.kind == "OR":
            self.i += 1
            nodes.append(self._and())
        return nodes[0] if len(nodes) == 1 else Op("OR", tuple(nodes))

    def _and(self) -> Node:
        nodes = [self._near()]
        while (tok := self._peek()) is not None and tok.kind in _AND_STARTS:
            if tok.kind == "AND":
                self.i += 1
            nodes.append(self._near())
        return nodes[0] if len(nodes) == 1 else Op("AND", tuple(nodes))

    def _near(self) -> Node:
        left = self._unary()
        while (tok := self._peek()) is not None and tok.kind == "NEAR":
            self.i += 1
            right = self._unary()
            if not (_has_positive(left) and _has_positive(right)):
                raise RuleSyntaxError("NEAR cannot take a NOT operand", tok.position)
            left = Op("NEAR", (left, right), int(tok.text))
        return left

    def _unary(self) -> Node:
        tok = self._peek()
        if tok is not None and tok.kind == "NOT":
            self.i += 1
            return Op("NOT", (self._unary(),))
        return self._primary()

    def _primary(self) -> Node:
        tok = self._peek()
        if tok is None:
            raise RuleSyntaxError("rule ends where a term or '(' was expected", len(self.rule))
        self.i += 1
        if tok.kind == "(":
            node = self._or()
            closing = self._peek()
            if closing is None or closing.kind != ")":
                raise RuleSyntaxError("unbalanced '(': missing ')'", tok.position)
            self.i += 1
            return node
        if tok.kind == "TERM":
            return _term(tok)
        if tok.kind == "PHRASE":
            words = tuple(tokenize(tok.text))
            if not words:
                raise RuleSyntaxError("empty quoted phrase", tok.position)
            return Term(words)
        reason = f"unexpected {tok.text!r} where a term or '(' was expected"
        raise RuleSyntaxError(reason, tok.position)


def _term(tok: _Token) -> Term:
    if not _TERM_RE.match(tok.text):
        raise RuleSyntaxError(
            f"invalid term {tok.text!r}: use letters/digits, '*' only at the end", tok.position
        )
    word = fold(tok.text.rstrip("*"))
    if "'" in word and not tok.text.endswith("*"):
        return Term(tuple(tokenize(word)))  # documents split "don't" into "don", "t"
    if tok.text.endswith("*"):
        if len(word) < MIN_WILDCARD:
            raise RuleSyntaxError(f"wildcard needs at least {MIN_WILDCARD} letters", tok.position)
        return Term((word,), wildcard=True)
    return Term((word,))


def _has_positive(node: Node) -> bool:
    if isinstance(node, Term):
        return True
    if node.kind == "NOT":
        return False
    if node.kind == "OR":
        return all(_has_positive(c) for c in node.children)
    return any(_has_positive(c) for c in node.children)


def parse_rule(rule: str) -> Node:
    """Parse a rule; raises RuleSyntaxError("position N: reason")."""
    return _Parser(rule).parse()


def validate_rule(rule: str) -> str | None:
    """None when the rule is valid, else the error message (for forms)."""
    try:
        parse_rule(rule)
    except RuleSyntaxError as error:
        return str(error)
    return None


_PREFIX_MAX = 10
_CACHE_LIMIT = 200_000


def _terms(node: Node, positive: bool = True) -> Iterable[tuple[Term, bool]]:
    """Every term of a rule, with whether it sits outside any NOT."""
    if isinstance(node, Term):
        yield node, positive
        return
    for child in node.children:
        yield from _terms(child, positive and node.kind != "NOT")


Hits = dict[int, list[int]]
"""Term id -> token positions it covers in one document."""

_Candidates = tuple[tuple[int, ...], tuple[int, ...]]  # (one-word term ids, phrase term ids)


class TermTable:
    """All terms of a set of rules, numbered and indexed by token, stem and prefix, for one
    language. A document is matched in one pass over its tokens instead of once per term."""

    def __init__(self, terms: Iterable[Term], language: str) -> None:
        self.language = language
        self.terms = list(dict.fromkeys(terms))
        self.ids = {term: i for i, term in enumerate(self.terms)}
        self.by_token: dict[str, list[int]] = {}
        self.by_stem: dict[str, list[int]] = {}
        self.by_prefix: dict[str, list[int]] = {}
        self._cache = TokenMemo(self._candidates, _CACHE_LIMIT)  # token -> candidate term ids
        self._same: dict[tuple[str, str], bool] = {}  # (token, phrase word) -> they match
        # A phrase is looked up by its longest word, usually its rarest ("no sabia" by
        # "sabia", not by "no"), and verified around it.
        self.anchor = [max(range(len(t.words)), key=lambda k: len(t.words[k])) for t in self.terms]
        for i, term in enumerate(self.terms):
            word = term.words[self.anchor[i]]
            if term.wildcard:
                self.by_prefix.setdefault(word[:_PREFIX_MAX], []).append(i)
            else:
                self.by_token.setdefault(word, []).append(i)
                self.by_stem.setdefault(stem(word, language), []).append(i)
        # The wildcards' prefixes by their first letters (as many as the shortest has),
        # shortest first: a token looks up one list instead of one prefix per length.
        self._head = min(map(len, self.by_prefix), default=0)
        self._by_head: dict[str, list[tuple[str, list[int]]]] = {}
        for prefix in sorted(self.by_prefix, key=len):
            entry = (prefix, self.by_prefix[prefix])
            self._by_head.setdefault(prefix[: self._head], []).append(entry)

    def _candidates(self, token: str) -> _Candidates | tuple[()]:
        found = [*self.by_token.get(token, ()), *self.by_stem.get(stem(token, self.language), ())]
        for prefix, wildcards in self._by_head.get(token[: self._head], ()):
            if token.startswith(prefix):
                found.extend(i for i in wildcards if token.startswith(self.terms[i].words[0]))
        if not found:
            return ()  # most new tokens
        unique = list(dict.fromkeys(found))
        singles = tuple(i for i in unique if len(self.terms[i].words) == 1)
        phrases = tuple(i for i in unique if len(self.terms[i].words) > 1)
        return singles, phrases

    def candidates_of(self, marks: list[str]) -> list[_Candidates | tuple[()]]:
        """(one-word term ids, phrase term ids) each mark may match; () for none."""
        stem_many(marks, self.language)  # stemmed together, then read from the cache
        get = self._cache.__getitem__
        return [() if mark in PUNCTUATION else get(mark) for mark in marks]

    def hits(self, tokens: list[str]) -> Hits:
        """Positions covered by each term (by id) that occurs in the token sequence."""
        candidates = list(map(self._cache.__getitem__, tokens))
        # compress() keeps the few tokens that match a term (empty tuples are falsy), in C
        return self.hits_at(repeat(tokens).__next__, compress(enumerate(candidates), candidates))

    def hits_at(
        self, tokens_of: Callable[[], list[str]], matches: Iterable[tuple[int, _Candidates]]
    ) -> Hits:
        """:meth:`hits` from the positions of the tokens that have candidates, in order;
        `tokens_of` gives the tokens, asked for only to verify a phrase."""
        found: Hits = {}
        for i, (singles, phrases) in matches:
            for term_id in singles:
                found.setdefault(term_id, []).append(i)
            for term_id in phrases:
                words = self.terms[term_id].words
                start = i - self.anchor[term_id]
                if self._phrase_at(words, tokens_of(), start, i):
                    found.setdefault(term_id, []).extend(range(start, start + len(words)))
        return found

    def _phrase_at(self, words: tuple[str, ...], tokens: list[str], start: int, at: int) -> bool:
        """Whether the phrase's other words surround its anchor word, found at `at`."""
        if start < 0 or start + len(words) > len(tokens):
            return False
        for k in range(len(words)):
            if start + k == at:
                continue
            key = (tokens[start + k], words[k])
            same = self._same.get(key)
            if same is None:
                if len(self._same) >= _CACHE_LIMIT:
                    self._same.clear()
                same = self._same[key] = _same_word(*key, self.language)
            if not same:
                return False
        return True


def _same_word(token: str, word: str, language: str) -> bool:
    return token == word or stem(token, language) == stem(word, language)


Matcher = Callable[[Hits], set[int] | None]
"""A rule compiled against a TermTable: the token positions that make it true in a document's
hits, or None when it does not match. Each operator is a closure over its children, so that a
document is matched without dispatching on node kinds; OR-of-terms, the most common shape, is one
set intersection."""


def _compile(node: Node, ids: Mapping[Term, int]) -> Matcher:
    if isinstance(node, Term):
        return _any(frozenset([ids[node]]))
    if node.kind == "OR" and all(isinstance(c, Term) for c in node.children):
        return _any(frozenset(ids[c] for c in node.children if isinstance(c, Term)))
    children = tuple(_compile(c, ids) for c in node.children)
    if node.kind == "NOT":
        return _none_of(children[0])
    if node.kind == "NEAR":
        return _near(children[0], children[1], node.distance)
    return _all(children) if node.kind == "AND" else _either(children)


def _any(term_ids: frozenset[int]) -> Matcher:
    if len(term_ids) == 1:
        (term_id,) = term_ids

        def one(hits: Hits) -> set[int] | None:
            positions = hits.get(term_id)
            return None if positions is None else set(positions)

        return one

    def any_of(hits: Hits) -> set[int] | None:
        found = [hits[i] for i in term_ids.intersection(hits)]
        return set().union(*found) if found else None

    return any_of


def _none_of(child: Matcher) -> Matcher:
    def none_of(hits: Hits) -> set[int] | None:
        return set() if child(hits) is None else None

    return none_of


def _all(children: tuple[Matcher, ...]) -> Matcher:
    def all_of(hits: Hits) -> set[int] | None:
        positions: set[int] = set()
        for child in children:
            child_positions = child(hits)
            if child_positions is None:
                return None
            positions |= child_positions
        return positions

    return all_of


def _either(children: tuple[Matcher, ...]) -> Matcher:
    def either(hits: Hits) -> set[int] | None:
        results = [r for c in children if (r := c(hits)) is not None]
        return set().union(*results) if results else None

    return either


def _near(left_of: Matcher, right_of: Matcher, distance: int) -> Matcher:
    def near(hits: Hits) -> set[int] | None:
        left, right = left_of(hits), right_of(hits)
        if not left or not right:
            return None
        ordered = sorted(right)
        found: set[int] = set()
        for p in left:
            lo, hi = bisect_left(ordered, p - distance), bisect_right(ordered, p + distance)
            if lo < hi:
                found.add(p)
                found.update(ordered[lo:hi])
        return found or None

    return near


@dataclass(frozen=True, slots=True)
class Topic:
    """A taxonomy node: rules per language (any rule matching means a hit)."""

    slug: str
    name_es: str
    name_en: str
    parent: str | None
    rules: dict[str, tuple[str, ...]]
    compiled: dict[str, tuple[Node, ...]]

    def positive_terms(self, language: str) -> frozenset[Term]:
        """Terms outside NOT: a rule can only match when one of them occurs."""
        return frozenset(
            t for rule in self.compiled.get(language, ()) for t, pos in _terms(rule) if pos
        )


@dataclass(frozen=True, slots=True)
class TopicHit:
    """A topic found in a comment, the clause(s) that mention it and their sentiment."""

    slug: str
    sentence: str
    sentiment: str | None = None
    score: float | None = None


def _topic_from_dict(item: Mapping[str, Any]) -> Topic:
    slug = str(item["slug"])
    rules: dict[str, tuple[str, ...]] = {}
    compiled: dict[str, tuple[Node, ...]] = {}
    for language, value in dict(item.get("rules", {})).items():
        texts = (value,) if isinstance(value, str) else tuple(value)
        try:
            compiled[language] = tuple(parse_rule(t) for t in texts)
        except RuleSyntaxError as error:
            raise ValueError(f"topic {slug!r} ({language}): {error}") from error
        rules[language] = texts
    parent = item.get("parent")
    return Topic(
        slug=slug,
        name_es=str(item.get("name_es", slug)),
        name_en=str(item.get("name_en", item.get("name_es", slug))),
        parent=str(parent) if parent else None,
        rules=rules,
        compiled=compiled,
    )


class Taxonomy:
    """A two-level topic tree (parent -> children) with compiled rules."""

    def __init__(self, topics: Sequence[Topic]) -> None:
        self.topics = list(topics)
        self.by_slug = {t.slug: t for t in self.topics}
        if len(self.by_slug) != len(self.topics):
            raise ValueError("duplicate topic slugs")
        for topic in self.topics:
            parent = self.by_slug.get(topic.parent) if topic.parent else None
            if topic.parent and parent is None:
                raise ValueError(f"topic {topic.slug!r}: unknown parent {topic.parent!r}")
            if parent is not None and parent.parent is not None:
                raise ValueError(f"topic {topic.slug!r}: the taxonomy has two levels only")
        self._tables: dict[str, _LanguageTable] = {}

    def _table(self, language: str) -> _LanguageTable:
        """Compiled once per language (see _LanguageTable)."""
        table = self._tables.get(language)
        if table is None:
            table = self._tables[language] = _LanguageTable(self.topics, language)
        return table

    @classmethod
    def from_dicts(cls, items: Iterable[Mapping[str, Any]]) -> Taxonomy:
        """Build from plain data (slug, name_es, name_en, parent, rules={lang: str|[str]})."""
        return cls([_topic_from_dict(item) for item in items])

    def to_dicts(self) -> list[dict[str, Any]]:
        return [
            {
                "slug": t.slug,
                "name_es": t.name_es,
                "name_en": t.name_en,
                "parent": t.parent,
                "rules": {lang: list(r) for lang, r in t.rules.items()},
            }
            for t in self.topics
        ]

    def children(self, slug: str) -> list[Topic]:
        return [t for t in self.topics if t.parent == slug]

    def find(self, doc: Document, language: str) -> list[tuple[str, tuple[int, ...]]]:
        """(slug, clause indexes) for every topic whose rule matches the document."""
        if not doc.tokens:
            return []
        table = self._table(language)
        return self._found(table, table.terms.hits(doc.tokens), doc.clauses_of)

    def find_many(
        self, docs: Sequence[Document], language: str, batch: BatchTokens
    ) -> list[list[tuple[str, tuple[int, ...]]]]:
        """:meth:`find` of each document, the batch's marks already looked up: the marks
        that may match a term are picked out in numpy, the rest never reach Python."""
        table = self._table(language)
        candidates = table.candidates_by_id
        has_candidates, by_id = candidates.gather_values(batch)
        matching = np.flatnonzero(has_candidates)
        words_before = np.concatenate([[0], np.cumsum(WORD_MARKS.gather(batch))])
        mark_ends = np.cumsum(batch.marks_per_doc)
        doc_of_match = np.searchsorted(mark_ends, matching, side="right")
        first_word = words_before[mark_ends - batch.marks_per_doc]  # of each document
        positions = (words_before[matching] - first_word[doc_of_match]).tolist()
        values: list[_Candidates] = list(
            map(by_id.__getitem__, batch.ids[matching].tolist())  # type: ignore[arg-type]
        )
        bounds = np.searchsorted(doc_of_match, np.arange(len(docs) + 1)).tolist()
        ends, clause_bounds = _clause_ends(batch, words_before, first_word)
        found: list[list[tuple[str, tuple[int, ...]]]] = []
        for n, doc in enumerate(docs):
            start, end = bounds[n], bounds[n + 1]
            if start == end:
                found.append([])
                continue
            matches = zip(positions[start:end], values[start:end], strict=True)
            hits = table.terms.hits_at(doc.words, matches)
            doc_ends = ends[clause_bounds[n] : clause_bounds[n + 1]]
            found.append(self._found(table, hits, partial(clauses_at, doc_ends)))
        return found

    def _found(
        self,
        table: _LanguageTable,
        hits: Hits,
        clauses_of: Callable[[Iterable[int]], list[int]],
    ) -> list[tuple[str, tuple[int, ...]]]:
        """(slug, clause indexes) of each topic the hits match; `clauses_of` gives the
        clauses of token positions (see :meth:`Document.clauses_of`)."""
        # the topics some of whose anchor terms occur, gathered in C
        candidates = set(chain.from_iterable(map(table.topics_by_anchor.get, hits, repeat(()))))
        found: list[tuple[str, tuple[int, ...]]] = []
        any_terms = table.any_terms
        for index in sorted(candidates):  # taxonomy order
            terms = any_terms[index]
            positions: Iterable[int] | None
            if terms is not None:  # ORs of terms, one of which occurs (it made a candidate)
                positions = chain.from_iterable(map(hits.__getitem__, terms.intersection(hits)))
            else:
                positions = _match_any(table.rules[index], hits)
                if positions is None:
                    continue
            found.append((self.topics[index].slug, tuple(clauses_of(positions))))
        return found

    def match_topics(
        self, text: str | Document, language: str, predictor: SentimentPredictor | None = None
    ) -> list[TopicHit]:
        """Topics in `text`, each with the sentiment of the clause(s) that mention it."""
        doc = text if isinstance(text, Document) else Document(text)
        found = self.find(doc, language)
        snippets = [doc.text_of(idx) for _, idx in found]
        predictions = predictor.predict(snippets) if predictor and snippets else []
        hits = []
        for k, (slug, _) in enumerate(found):
            label, score = predictions[k] if predictions else (None, None)
            hits.append(TopicHit(slug, snippets[k], label, score))
        return hits


def _clause_ends(
    batch: BatchTokens, words_before: np.ndarray, first_word: np.ndarray
) -> tuple[list[int], list[int]]:
    """Per clause of the batch, the words in its document's clauses up to it (each
    document's ``clauses_of`` bounds), and where each document's clauses start in that list;
    from the words before each mark (`words_before`) and each document's first word."""
    doc_of_clause = np.repeat(np.arange(len(first_word)), batch.clauses_per_doc)
    ends = words_before[np.cumsum(batch.clause_lengths)] - first_word[doc_of_clause]
    bounds = np.concatenate([[0], np.cumsum(batch.clauses_per_doc)])
    return ends.tolist(), bounds.tolist()


def _match_any(rules: tuple[Matcher, ...], hits: Hits) -> set[int] | None:
    if len(rules) == 1:
        return rules[0](hits)
    merged: set[int] | None = None
    for rule in rules:
        positions = rule(hits)
        if positions is not None:
            merged = positions if merged is None else merged | positions
    return merged


class _LanguageTable:
    """A taxonomy compiled for one language: the term index, each topic's rules against it,
    and for each anchor term (outside any NOT) the topics that can only match when it occurs."""

    def __init__(self, topics: Sequence[Topic], language: str) -> None:
        every = [t for tp in topics for r in tp.compiled.get(language, ()) for t, _ in _terms(r)]
        self.terms = TermTable(every, language)
        ids = self.terms.ids
        self.rules = [
            tuple(_compile(r, ids) for r in tp.compiled.get(language, ())) for tp in topics
        ]
        # per topic: when each of its rules is a term or an OR of terms, all their term ids
        # (the topic matches when any occurs, at the positions of those that occur)
        self.any_terms = [_or_of_terms(tp.compiled.get(language, ()), ids) for tp in topics]
        self.topics_by_anchor: dict[int, list[int]] = {}
        for index, topic in enumerate(topics):
            for term in topic.positive_terms(language):
                self.topics_by_anchor.setdefault(ids[term], []).append(index)
        # each mark's candidate terms, by shared token id (see tokens.py)
        self.candidates_by_id = IdTable(self.terms.candidates_of, _pack_truth, keep_values=True)


def _or_of_terms(rules: tuple[Node, ...], ids: Mapping[Term, int]) -> frozenset[int] | None:
    terms: list[Term] = []
    for rule in rules:
        if isinstance(rule, Term):
            terms.append(rule)
        elif rule.kind == "OR" and all(isinstance(c, Term) for c in rule.children):
            terms += [c for c in rule.children if isinstance(c, Term)]
        else:
            return None
    return frozenset(ids[t] for t in terms) if terms else None


def _pack_truth(values: list[Any]) -> np.ndarray:
    return np.fromiter(map(bool, values), dtype=bool, count=len(values))
