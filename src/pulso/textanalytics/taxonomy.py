"""The topic taxonomy as the engine sees it: built from Topic rows, and rule testing."""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Max

from pulso.textanalytics.engine.normalize import Document, clean_text
from pulso.textanalytics.engine.topics import RuleSyntaxError, Taxonomy, parse_rule
from pulso.textanalytics.models import TextAnalysis, Topic
from pulso.textanalytics.rule_messages import explain

logger = logging.getLogger(__name__)

RULE_TEST_SAMPLE = 2_000
RULE_TEST_SHOWN = 25


def topic_dicts(topics: list[Topic]) -> list[dict[str, Any]]:
    """Active topics with valid rules, as the engine's Taxonomy.from_dicts takes them."""
    by_pk = {t.pk: t for t in topics}
    rows = []
    for topic in topics:
        parent = by_pk.get(topic.parent_id) if topic.parent_id else None
        if topic.parent_id and parent is None:
            continue  # the parent is inactive: its children go quiet with it
        if parent is not None and parent.parent_id is not None:
            # a third level or a cycle, written past validation: this row is left out, the
            # rest of the taxonomy keeps working
            logger.warning("Topic %s sits under a subtopic; it is not matched", topic.slug)
            continue
        rules = {}
        for language, rule in topic.rules().items():
            try:
                parse_rule(rule)
            except RuleSyntaxError as error:
                logger.warning("Topic %s (%s) has an invalid rule: %s", topic.slug, language, error)
                continue
            rules[language] = rule
        rows.append(
            {
                "slug": topic.slug,
                "name_es": topic.name_es,
                "name_en": topic.name_en or topic.name_es,
                "parent": parent.slug if parent else None,
                "rules": rules,
            }
        )
    return rows


def active_taxonomy() -> Taxonomy:
    topics = list(Topic.objects.filter(is_active=True).order_by("pk"))
    return Taxonomy.from_dicts(topic_dicts(topics))


def taxonomy_stamp() -> tuple[Any, ...]:
    """Changes whenever a topic is added, edited or removed (cheap: one aggregate query)."""
    stamp = Topic.objects.aggregate(n=Count("pk"), last=Max("updated_at"))
    return (stamp["n"], stamp["last"])


@dataclass
class RuleMatch:
    analysis: TextAnalysis
    snippet: str


@dataclass
class RuleTest:
    """The outcome of trying a rule on recent comments before saving it."""

    rule: str
    language: str
    error: str = ""
    error_position: int | None = None
    sample_size: int = 0
    count: int = 0
    matches: list[RuleMatch] = field(default_factory=list)

    @property
    def error_message(self) -> str:
        return explain(self.error) if self.error else ""

    @property
    def pointer(self) -> str:
        """A caret under the offending character, for a monospace block under the rule."""
        return " " * (self.error_position or 0) + "^"

    @property
    def share(self) -> float:
        return self.count / self.sample_size if self.sample_size else 0.0


def test_rule(rule: str, language: str, analyses: Any) -> RuleTest:
    """Match `rule` against the most recent analysed comments of `analyses` in `language`."""
    result = RuleTest(rule=rule, language=language)
    try:
        parse_rule(rule)
    except RuleSyntaxError as error:
        result.error, result.error_position = error.reason, error.position
        return result
    probe = Taxonomy.from_dicts([{"slug": "probe", "rules": {language: rule}}])
    recent = (
        analyses.filter(analysed=True, language=language)
        .select_related("feedback")
        .order_by("-written_at", "-pk")[:RULE_TEST_SAMPLE]
    )
    for analysis in recent:
        result.sample_size += 1
        hits = probe.match_topics(Document(clean_text(analysis.text)), language)
        if hits:
            result.count += 1
            if len(result.matches) < RULE_TEST_SHOWN:
                result.matches.append(RuleMatch(analysis, hits[0].sentence))
    return result
