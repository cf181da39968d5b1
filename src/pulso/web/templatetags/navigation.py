"""``{% main_links %}`` and ``{% personal_links %}``: the top bar's links for the person
signed in (declared in :mod:`pulso.web.navigation`)."""

from __future__ import annotations

from typing import Any

from django import template
from django.utils.safestring import SafeString

from pulso.web import navigation

register = template.Library()


def _links(context: dict[str, Any], links: tuple[navigation.Link, ...]) -> SafeString:
    request = context["request"]
    return navigation.render_links(links, request.user, getattr(request, "resolver_match", None))


@register.simple_tag(takes_context=True)
def main_links(context: dict[str, Any]) -> SafeString:
    """The main navigation's links."""
    return _links(context, navigation.MAIN_LINKS)


@register.simple_tag(takes_context=True)
def personal_links(context: dict[str, Any]) -> SafeString:
    """The links to a person's own alerts, recognitions, reports and API tokens."""
    return _links(context, navigation.PERSONAL_LINKS)
