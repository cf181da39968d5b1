"""State changes of text analytics: taxonomy, analysis runs, sentiment models, themes."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify

from pulso.core.access import AnyUser
from pulso.core.audit import record_event
from pulso.textanalytics import analysis, emerging, runs, training
from pulso.textanalytics.engine.taxonomy_default import DEFAULT_TAXONOMY
from pulso.textanalytics.engine.topics import RuleSyntaxError, parse_rule
from pulso.textanalytics.models import (
    EmergingTheme,
    SentimentModelVersion,
    TextAnalysis,
    TextJob,
    Topic,
    TopicExample,
)

Progress = Callable[[int], None]


class InvalidRule(ValueError):
    """A topic rule that does not parse; carries the language, position and reason."""

    def __init__(self, language: str, error: RuleSyntaxError) -> None:
        super().__init__(f"{language}: {error}")
        self.language = language
        self.reason = error.reason
        self.position = error.position


# Taxonomy


@transaction.atomic
def do_load_default_taxonomy(actor: AnyUser | None = None) -> int:
    """Create the shipped CX topics that are missing (analyst edits are kept); returns how many."""
    existing = set(Topic.objects.values_list("slug", flat=True))
    created = 0
    for item in sorted(DEFAULT_TAXONOMY, key=lambda t: t["parent"] is not None):
        if item["slug"] in existing:
            continue
        parent = Topic.objects.filter(slug=item["parent"]).first() if item["parent"] else None
        Topic.objects.create(
            slug=item["slug"],
            parent=parent,
            name_es=item["name_es"],
            name_en=item["name_en"],
            rule_es=item["rules"].get("es", ""),
            rule_en=item["rules"].get("en", ""),
            origin=Topic.Origin.DEFAULT,
        )
        created += 1
    first = Topic.objects.order_by("pk").first()
    if created and first is not None:
        record_event("taxonomy.loaded", first, actor, created=created)
    return created


def check_rules(rules: dict[str, str]) -> None:
    """Raise InvalidRule for the first rule that does not parse (empty rules are allowed)."""
    for language, rule in rules.items():
        if rule and rule.strip():
            try:
                parse_rule(rule)
            except RuleSyntaxError as error:
                raise InvalidRule(language, error) from error


def unique_slug(name: str) -> str:
    base = slugify(name)[:70] or "tema"
    slug, n = base, 2
    while Topic.objects.filter(slug=slug).exists():
        slug, n = f"{base}-{n}", n + 1
    return slug


@transaction.atomic
def do_save_topic(topic: Topic | None, actor: AnyUser | None = None, **fields: Any) -> Topic:
    """Create or update a topic (rules validated) and re-match topics on the history."""
    check_rules({"es": fields.get("rule_es", ""), "en": fields.get("rule_en", "")})
    created = topic is None
    if topic is None:
        fields.setdefault("origin", Topic.Origin.ANALYST)
        topic = Topic(slug=fields.pop("slug", None) or unique_slug(fields["name_es"]))
    for name, value in fields.items():
        setattr(topic, name, value)
    _lock_taxonomy_rows(topic)
    topic.full_clean(exclude=["slug"] if not created else None)
    topic.save()
    record_event("topic.created" if created else "topic.updated", topic, actor, **_rules(topic))
    do_start_job(TextJob.Kind.REPROCESS_TOPICS, actor)
    return topic


def _lock_taxonomy_rows(topic: Topic) -> None:
    """Lock the topic and its new parent (in key order) so that two moves at once cannot build
    a cycle between the checks of Topic.clean() and the writes."""
    keys = [key for key in (topic.pk, topic.parent_id) if key is not None]
    if keys:
        list(Topic.objects.select_for_update().filter(pk__in=keys).order_by("pk").values("pk"))


def _rules(topic: Topic) -> dict[str, str]:
    return {"rule_es": topic.rule_es, "rule_en": topic.rule_en}


@transaction.atomic
def do_delete_topic(topic: Topic, actor: AnyUser | None = None) -> None:
    record_event("topic.deleted", topic, actor, slug=topic.slug, **_rules(topic))
    topic.delete()
    do_start_job(TextJob.Kind.REPROCESS_TOPICS, actor)


@transaction.atomic
def do_mark_example(
    topic: Topic, analysis_row: TextAnalysis, actor: AnyUser | None = None, is_example: bool = True
) -> TopicExample:
    """Mark a comment as an example of the topic (or as a comment that is not about it)."""
    example, _ = TopicExample.objects.update_or_create(
        topic=topic,
        analysis=analysis_row,
        defaults={"is_example": is_example, "created_by": _user(actor)},
    )
    record_event("topic.example_marked", topic, actor, analysis=analysis_row.pk, yes=is_example)
    return example


@transaction.atomic
def do_unmark_example(
    topic: Topic, analysis_row: TextAnalysis, actor: AnyUser | None = None
) -> None:
    TopicExample.objects.filter(topic=topic, analysis=analysis_row).delete()
    record_event("topic.example_unmarked", topic, actor, analysis=analysis_row.pk)


def _user(actor: AnyUser | None) -> Any:
    return actor if getattr(actor, "is_authenticated", False) else None


# Analysis


def do_analyse_pending(limit: int | None = None, progress: Progress | None = None) -> int:
    """Analyse every comment without an analysis yet (bulk imports fire no signals).

    The daily job of the closed loop calls this; returns how many comments were analysed.
    """
    return analysis.analyse_pending(limit=limit, progress=progress)


def do_analyse_items(feedback_ids: Sequence[int]) -> int:
    """(Re-)analyse the given feedback records (idempotent)."""
    return analysis.analyse_ids(list(feedback_ids))


def enqueue_analysis(feedback_ids: Sequence[int]) -> None:
    """Analyse these records in the background once the current transaction commits."""
    from pulso.textanalytics.tasks import analyse_items

    ids = list(feedback_ids)
    if ids:
        transaction.on_commit(lambda: analyse_items.enqueue(ids))


# Background jobs


@transaction.atomic
def do_start_job(kind: str, actor: AnyUser | None = None, **params: Any) -> TextJob:
    """Record a job and run it in the background after commit (the UI shows its progress)."""
    from pulso.textanalytics.tasks import run_job

    job = TextJob.objects.create(kind=kind, params=params, created_by=_user(actor))
    record_event("text_job.started", job, actor, kind=kind)
    transaction.on_commit(lambda: run_job.enqueue(job.pk))
    return job


RUNNERS: dict[str, Callable[[TextJob, Progress], None]] = {
    TextJob.Kind.ANALYSE: lambda job, p: (
        runs.analyse_all(job, p)
        if job.params.get("mode") == "all"
        else runs.analyse_pending(job, p)
    ),
    TextJob.Kind.REPROCESS_TOPICS: runs.reprocess_topics,
    TextJob.Kind.RESCORE: runs.rescore,
    TextJob.Kind.RETRAIN: lambda job, p: _retrain_job(job),
    TextJob.Kind.THEMES: lambda job, p: _themes_job(job),
}


def do_run_job(job: TextJob, progress: Progress | None = None) -> TextJob:
    """Run a recorded job now (the task and the CLI call this); failures are kept on the job."""
    if job.status == TextJob.Status.DONE:
        return job
    try:
        RUNNERS[job.kind](job, progress or runs._noop)
    except Exception as error:
        runs.fail(job, error)
        raise
    return job


def _retrain_job(job: TextJob) -> None:
    runs.start(job, 1)
    versions = do_retrain_sentiment(actor=job.created_by)
    runs.finish(job, ", ".join(f"{v.language}: {v.get_status_display()}" for v in versions))


def _themes_job(job: TextJob) -> None:
    runs.start(job, 1)
    themes = do_find_emerging_themes(actor=job.created_by)
    job.advance(1)
    runs.finish(job, str(len(themes)))


# Sentiment models


def do_retrain_sentiment(
    actor: AnyUser | None = None, languages: Sequence[str] | None = None, rescore: bool = True
) -> list[SentimentModelVersion]:
    """Train a model per language with enough rated comments; activate it only when it
    validates better than the active one (held-out macro-F1). Weekly, and on demand.

    Not one transaction: training takes seconds, and the database stays writable meanwhile;
    each language's swap of the active model is atomic.
    """
    rated = training.rated_comments()
    versions = []
    for language in languages or sorted(rated.labels):
        if rated.count(language) < training.min_rated():
            continue
        version = _train_language(language, rated, actor)
        versions.append(version)
        if rescore and version.is_active:
            do_start_job(TextJob.Kind.RESCORE, actor, language=language)
    return versions


def _train_language(
    language: str, rated: training.RatedComments, actor: AnyUser | None
) -> SentimentModelVersion:
    texts, labels = rated.texts[language], rated.labels[language]
    fields: dict[str, Any] = {"language": language, "n_training": len(texts)}
    try:
        model = training.train(language, texts, labels)
    except ValueError as error:
        return _record_version(
            actor, status=SentimentModelVersion.Status.FAILED, message=str(error)[:300], **fields
        )
    report = model.report
    fields.update(report=report.as_dict(), accuracy=report.accuracy, macro_f1=report.macro_f1)
    with transaction.atomic():
        active = (
            SentimentModelVersion.objects.select_for_update()
            .filter(language=language, status=SentimentModelVersion.Status.ACTIVE)
            .defer("model_bytes")
            .first()
        )
        if not model.better_than(training.stored_report(active)):
            status = SentimentModelVersion.Status.REJECTED
            return _record_version(actor, status=status, **fields)
        if active is not None:
            active.status = SentimentModelVersion.Status.RETIRED
            active.save(update_fields=["status"])
        return _record_version(
            actor,
            status=SentimentModelVersion.Status.ACTIVE,
            model_bytes=model.to_bytes(),
            **fields,
        )


def _record_version(actor: AnyUser | None, **fields: Any) -> SentimentModelVersion:
    version = SentimentModelVersion.objects.create(trained_by=_user(actor), **fields)
    record_event(
        "sentiment_model.trained", version, actor, status=version.status, macro_f1=version.macro_f1
    )
    return version


# Emerging themes


@transaction.atomic
def do_find_emerging_themes(
    actor: AnyUser | None = None, now: datetime | None = None
) -> list[EmergingTheme]:
    """Replace the new (unreviewed) themes with this week's: uncovered clusters, growing topics."""
    now = now or timezone.now()
    found = emerging.find_uncovered(now) + emerging.find_growing(now)
    EmergingTheme.objects.filter(status=EmergingTheme.Status.NEW).delete()
    themes = EmergingTheme.objects.bulk_create(
        EmergingTheme(
            kind=f.kind, language=f.language, label=f.label, words=f.words,
            suggested_rule=f.suggested_rule, size=f.size, recent_count=f.recent_count,
            previous_count=f.previous_count, growth=f.growth, trend=f.trend,
            member_ids=f.member_ids, example_ids=f.example_ids, topic=f.topic,
        )
        for f in found
    )  # fmt: skip
    if themes:
        record_event("themes.found", themes[0], actor, count=len(themes))
    return themes


@transaction.atomic
def do_promote_theme(
    theme: EmergingTheme, actor: AnyUser | None = None, **topic_fields: Any
) -> Topic:
    """Turn a theme into a topic (with the analyst's edited rule) and re-match history."""
    topic_fields.setdefault("origin", Topic.Origin.THEME)
    topic = do_save_topic(None, actor, **topic_fields)
    theme.status, theme.topic = EmergingTheme.Status.PROMOTED, topic
    theme.save(update_fields=["status", "topic"])
    record_event("theme.promoted", theme, actor, topic=topic.slug)
    return topic


@transaction.atomic
def do_dismiss_theme(theme: EmergingTheme, actor: AnyUser | None = None) -> None:
    theme.status = EmergingTheme.Status.DISMISSED
    theme.save(update_fields=["status"])
    record_event("theme.dismissed", theme, actor)
