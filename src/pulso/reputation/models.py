"""Brand reputation: mentions of the brand on review sites and social networks, the feeds they
are read from, and the brands (ours and competitors) a mention may name.

A mention *is* a feedback record (source review or social): its rating and scale, text, author,
unit and date stay on :class:`~pulso.feedback.models.Feedback`; what only mentions have (the
network, the post's address, the author's handle, its reach, the brands it names, the inbox
conversation that answers it) lives here, one-to-one beside it.
"""

from __future__ import annotations

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from pulso.accounts.models import OrgUnit
from pulso.core.access import RestrictedQuerySet
from pulso.feedback.models import Feedback

MENTION_SOURCES = (Feedback.Source.REVIEW, Feedback.Source.SOCIAL)


class Brand(models.Model):
    """Our brand or a competitor, with the names a mention may call it by."""

    name = models.CharField(_("name"), max_length=100, unique=True)
    aliases = models.TextField(
        _("aliases"), blank=True, help_text=_("Other names of the brand, one per line.")
    )
    is_own = models.BooleanField(_("our brand"), default=False)
    created_at = models.DateTimeField(_("created"), default=timezone.now)

    class Meta:
        verbose_name = _("brand")
        verbose_name_plural = _("brands")
        ordering = ["-is_own", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["is_own"], condition=models.Q(is_own=True), name="one_own_brand"
            )
        ]

    def __str__(self) -> str:
        return self.name

    def names(self) -> list[str]:
        """The name and every alias, blank lines left out."""
        aliases = [line.strip() for line in self.aliases.splitlines()]
        return [self.name.strip(), *(alias for alias in aliases if alias)]


class Feed(models.Model):
    """An RSS or Atom feed of reviews or posts, polled by a scheduled job."""

    class Source(models.TextChoices):
        REVIEW = Feedback.Source.REVIEW.value, _("Reviews")
        SOCIAL = Feedback.Source.SOCIAL.value, _("Social media posts")

    url = models.URLField(_("feed address"), max_length=500, unique=True)
    source = models.CharField(
        _("kind"), max_length=20, choices=Source.choices, default=Source.REVIEW
    )
    source_name = models.CharField(
        _("site or network"), max_length=100, help_text=_("e.g. Google, Trustpilot, X")
    )
    org_unit = models.ForeignKey(
        OrgUnit,
        verbose_name=_("org unit"),
        null=True,
        blank=True,
        related_name="+",
        on_delete=models.PROTECT,
    )
    language = models.CharField(_("language"), max_length=8, blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    last_polled_at = models.DateTimeField(_("last read"), null=True, blank=True)
    last_error = models.TextField(_("last error"), blank=True)
    last_new = models.PositiveIntegerField(_("new mentions in the last read"), default=0)

    class Meta:
        verbose_name = _("feed")
        verbose_name_plural = _("feeds")
        ordering = ["source_name", "url"]

    def __str__(self) -> str:
        return f"{self.source_name}: {self.url}"


class MentionQuerySet(RestrictedQuerySet):
    unit_lookup = "feedback__org_unit__path"
    view_action = "reputation.view_mention"


class Mention(models.Model):
    """What a review or social post has beyond its feedback record."""

    feedback = models.OneToOneField(
        Feedback,
        verbose_name=_("feedback"),
        primary_key=True,
        related_name="mention",
        on_delete=models.CASCADE,
    )
    network = models.CharField(_("site or network"), max_length=100, blank=True)
    url = models.URLField(_("address"), max_length=500, blank=True)
    author_handle = models.CharField(_("author's handle"), max_length=200, blank=True)
    reach = models.PositiveBigIntegerField(
        _("reach"), null=True, blank=True, help_text=_("Followers or views, when the site says.")
    )
    feed = models.ForeignKey(
        Feed,
        verbose_name=_("feed"),
        null=True,
        blank=True,
        related_name="mentions",
        on_delete=models.SET_NULL,
    )
    brands = models.ManyToManyField(
        Brand, verbose_name=_("brands named"), blank=True, related_name="mentions"
    )
    # The inbox conversation in which the team answers the review (opened on "Reply").
    conversation = models.OneToOneField(
        "inbox.Conversation",
        verbose_name=_("conversation"),
        null=True,
        blank=True,
        related_name="mention",
        on_delete=models.SET_NULL,
    )

    objects = MentionQuerySet.as_manager()

    class Meta:
        verbose_name = _("mention")
        verbose_name_plural = _("mentions")

    def __str__(self) -> str:
        return f"{self.network or self.feedback.get_source_display()}: {self.feedback.text[:60]}"
