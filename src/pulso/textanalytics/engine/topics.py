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
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Union

from .base import SentimentPredictor
from .normalize import Document, fold, stem, tokenize

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


class TermTable:
    """All terms of a set of rules indexed by token, stem and prefix, for one language.

    A document is then matched in one pass over its distinct tokens instead of once per term.
    """

    def __init__(self, terms: Iterable[Term], language: str) -> None:
        self.language = language
        self.by_token: dict[str, list[Term]] = {}
        self.by_stem: dict[str, list[Term]] = {}
        self.by_prefix: dict[str, list[Term]] = {}
        self._cache: dict[str, tuple[Term, ...]] = {}
        for term in set(terms):
            first = term.words[0]
            if term.wildcard:
                self.by_prefix.setdefault(first[:_PREFIX_MAX], []).append(term)
            else:
                self.by_token.setdefault(first, []).append(term)
                self.by_stem.setdefault(stem(first, language), []).append(term)

    def _candidates(self, token: str, stemmed: str) -> tuple[Term, ...]:
        cached = self._cache.get(token)
        if cached is not None:
            return cached  # most tokens of a comment were seen before and match nothing
        found = [*self.by_token.get(token, ()), *self.by_stem.get(stemmed, ())]
        for n in range(MIN_WILDCARD, min(len(token), _PREFIX_MAX) + 1):
            found.extend(
                t for t in self.by_prefix.get(token[:n], ()) if token.startswith(t.words[0])
            )
        result = tuple(dict.fromkeys(found))
        if len(self._cache) >= _CACHE_LIMIT:
            self._cache.clear()
        self._cache[token] = result
        return result

    def hits(self, tokens: list[str], stems: list[str]) -> dict[Term, set[int]]:
        """Positions covered by each term that occurs in the token sequence."""
        by_token: dict[str, list[int]] = {}
        for i, token in enumerate(tokens):
            by_token.setdefault(token, []).append(i)
        found: dict[Term, set[int]] = {}
        for token, positions in by_token.items():
            for term in self._candidates(token, stems[positions[0]]):
                covered = _phrase_cover(term, positions, tokens, stems, self.language)
                if covered:
                    found.setdefault(term, set()).update(covered)
        return found


def _phrase_cover(
    term: Term, starts: list[int], tokens: list[str], stems: list[str], language: str
) -> list[int]:
    if len(term.words) == 1:
        return starts
    n = len(term.words)
    covered: list[int] = []
    for s in starts:
        if s + n <= len(tokens) and all(
            tokens[s + k] == w or stems[s + k] == stem(w, language)
            for k, w in enumerate(term.words[1:], 1)
        ):
            covered.extend(range(s, s + n))
    return covered


class DocIndex:
    """The term hits of one document against a TermTable."""

    def __init__(self, doc: Document, table: TermTable) -> None:
        self.doc = doc
        self.hits = table.hits(doc.tokens, doc.stems(table.language))

    def term_positions(self, term: Term) -> set[int]:
        return self.hits.get(term, set())


def evaluate(node: Node, index: DocIndex) -> set[int] | None:
    """Token positions that make the rule true, or None when it does not match."""
    if isinstance(node, Term):
        return index.term_positions(node) or None
    if node.kind == "NOT":
        return set() if evaluate(node.children[0], index) is None else None
    if node.kind == "AND":
        positions: set[int] = set()
        for child in node.children:
            found = evaluate(child, index)
            if found is None:
                return None
            positions |= found
        return positions
    if node.kind == "OR":
        results = [r for c in node.children if (r := evaluate(c, index)) is not None]
        return set().union(*results) if results else None
    return _near(node, index)


def _near(node: Op, index: DocIndex) -> set[int] | None:
    left, right = (evaluate(c, index) for c in node.children)
    if not left or not right:
        return None
    ordered = sorted(right)
    found: set[int] = set()
    for p in left:
        close = [q for q in ordered if abs(q - p) <= node.distance]
        if close:
            found.add(p)
            found.update(close)
    return found or None


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
        self._tables: dict[str, tuple[TermTable, list[tuple[Topic, frozenset[Term]]]]] = {}

    def _table(self, language: str) -> tuple[TermTable, list[tuple[Topic, frozenset[Term]]]]:
        """Compiled once per language: the term index and each topic's anchor terms."""
        if language not in self._tables:
            anchors = [(t, t.positive_terms(language)) for t in self.topics]
            terms = [term for _, group in anchors for term in group]
            every = [t for tp in self.topics for r in tp.compiled.get(language, ()) for t, _ in
                     _terms(r)]
            self._tables[language] = (TermTable(terms + every, language), anchors)
        return self._tables[language]

    @classmethod
    def from_dicts(cls, items: Iterable[Mapping[str, Any]]) -> Taxonomy:
        """Build from plain data (slug, name_es, name_en, parent, rules={lang: str|[str]})."""
        return cls([_topic_from_dict(item) for item in items])

    def to_dicts(self) -> list[dict[str, Any]]:
        return [
            {"slug": t.slug, "name_es": t.name_es, "name_en": t.name_en, "parent": t.parent,
             "rules": {lang: list(r) for lang, r in t.rules.items()}}
            for t in self.topics
        ]

    def children(self, slug: str) -> list[Topic]:
        return [t for t in self.topics if t.parent == slug]

    def find(self, doc: Document, language: str) -> list[tuple[str, tuple[int, ...]]]:
        """(slug, clause indexes) for every topic whose rule matches the document."""
        if not doc.tokens:
            return []
        table, anchors = self._table(language)
        index = DocIndex(doc, table)
        found: list[tuple[str, tuple[int, ...]]] = []
        for topic, anchor_terms in anchors:
            if anchor_terms.isdisjoint(index.hits):
                continue  # cheap skip: none of its positive terms occurs
            positions = _match_any(topic.compiled.get(language, ()), index)
            if positions is not None:
                sentences = sorted({doc.token_sentence[p] for p in positions})
                found.append((topic.slug, tuple(sentences)))
        return found

    def match_topics(
        self, text: str | Document, language: str, predictor: SentimentPredictor | None = None
    ) -> list[TopicHit]:
        """Topics in `text`, each with the sentiment of the clause(s) that mention it."""
        doc = text if isinstance(text, Document) else Document(text)
        found = self.find(doc, language)
        snippets = [" ".join(doc.sentences[i] for i in idx) for _, idx in found]
        predictions = predictor.predict(snippets) if predictor and snippets else []
        hits = []
        for k, (slug, _) in enumerate(found):
            label, score = predictions[k] if predictions else (None, None)
            hits.append(TopicHit(slug, snippets[k], label, score))
        return hits


def _match_any(rules: tuple[Node, ...], index: DocIndex) -> set[int] | None:
    merged: set[int] | None = None
    for rule in rules:
        positions = evaluate(rule, index)
        if positions is not None:
            merged = positions if merged is None else merged | positions
    return merged
