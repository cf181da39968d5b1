"""The knowledge base as the assistant reads it: the published articles of one language, an
intent classifier trained on their example questions, and BM25 retrieval over their text.

A question that shares no content word (function words aside) with any article is about
something else: no answer. Otherwise the classifier decides when the base has two articles or
more; with one, retrieval picks the article. Built once per language
and kept until an article changes (a new version, publication or withdrawal).
"""

from __future__ import annotations

import math
import threading
from collections import Counter
from dataclasses import dataclass

from django.db.models import Max

from pulso.inbox.intents import IntentClassifier
from pulso.inbox.models import Article, ArticleVersion
from pulso.lib.search import WORD, normalise_word, search_tokens

# Function words carry no topic: a question that shares only these with the knowledge base
# is about something else.
_STOPWORDS = {
    "es": "a al algo como con cual cuando de del donde el en es esta este esto hay la las le lo "
    "los me mi mis muy no o para pero por que se si sin su sus te tengo tu un una uno y ya yo "
    "hola gracias buenas buenos dias quiero puedo puede",
    "en": "a an and are as at be can do does for from have hello hi how i if in is it me my no "
    "not of on or please so that the thanks there this to was what when where which why will "
    "with you your",
}


@dataclass(frozen=True)
class Answer:
    version: ArticleVersion
    confidence: float


class Bm25:
    """Okapi BM25 over stemmed, accent-folded tokens (k1=1.2, b=0.75)."""

    def __init__(self, documents: list[str], language: str) -> None:
        self.language = language
        self.docs = [Counter(search_tokens_all(d, language)) for d in documents]
        self.avg = sum(sum(d.values()) for d in self.docs) / max(len(self.docs), 1)
        frequency = Counter(t for d in self.docs for t in d)
        n = len(self.docs)
        self.idf = {t: math.log(1 + (n - f + 0.5) / (f + 0.5)) for t, f in frequency.items()}

    def scores(self, query: str) -> list[float]:
        terms = content_tokens(query, self.language)
        result = []
        for doc in self.docs:
            length = sum(doc.values()) or 1
            score = 0.0
            for term in terms:
                tf = doc.get(term, 0)
                if tf:
                    norm = tf + 1.2 * (0.25 + 0.75 * length / (self.avg or 1))
                    score += self.idf[term] * tf * 2.2 / norm
            result.append(score)
        return result


def search_tokens_all(text: str, language: str) -> list[str]:
    """Like ``search_tokens`` but keeping repeats (BM25 counts them)."""
    return [normalise_word(w, language) for w in WORD.findall(text)]


def content_tokens(text: str, language: str) -> list[str]:
    """The normalised words of ``text`` that are not function words."""
    stop = {normalise_word(w, language) for w in _STOPWORDS.get(language, "").split()}
    return [t for t in search_tokens(text, language) if t not in stop]


class KnowledgeBase:
    """The published articles of one language, ready to answer questions."""

    def __init__(self, versions: list[ArticleVersion], language: str) -> None:
        self.versions = {str(v.pk): v for v in versions}
        self.language = language
        texts, intents = [], []
        for version in versions:
            for question in [version.title, *version.question_list()]:
                texts.append(question)
                intents.append(str(version.pk))
        self.classifier = (
            IntentClassifier().fit(texts, intents) if len(self.versions) >= 2 else None
        )
        self.order = list(self.versions)
        self.bm25 = Bm25(
            [f"{v.title}\n{v.questions}\n{v.body}" for v in self.versions.values()], language
        )

    def answer(self, question: str) -> Answer | None:
        """The article that answers ``question`` and how sure the assistant is (None: none)."""
        if not self.versions:
            return None
        scores = self.bm25.scores(question)
        if self.classifier is not None and max(scores, default=0) > 0:
            guess = self.classifier.guess([question])[0]
            return Answer(self.versions[guess.intent], guess.confidence)
        best = max(range(len(scores)), key=scores.__getitem__)
        if scores[best] <= 0:
            return None
        # With few articles the share of the best score is the confidence.
        share = scores[best] / sum(scores)
        return Answer(self.versions[self.order[best]], share)


_lock = threading.Lock()
_cache: dict[str, tuple[tuple[object, ...], KnowledgeBase]] = {}


def _state(language: str) -> tuple[object, ...]:
    articles = Article.objects.filter(language=language, is_published=True)
    latest = ArticleVersion.objects.filter(article__in=articles).aggregate(
        Max("pk"), Max("created_at")
    )
    return (*latest.values(), tuple(articles.values_list("pk", flat=True).order_by("pk")))


def knowledge_base(language: str) -> KnowledgeBase:
    """The knowledge base of ``language``, rebuilt when its articles changed."""
    state = _state(language)
    with _lock:
        cached = _cache.get(language)
        if cached and cached[0] == state:
            return cached[1]
    versions = [
        version
        for article in Article.objects.filter(language=language, is_published=True)
        if (version := article.current_version()) is not None
    ]
    built = KnowledgeBase(versions, language)
    with _lock:
        _cache[language] = (state, built)
    return built
