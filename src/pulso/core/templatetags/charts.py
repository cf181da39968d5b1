"""``{% vega_scripts %}``: the vendored Vega scripts, and the one CSP relaxation they need."""

from __future__ import annotations

from typing import Any

from django import template
from django.templatetags.static import static
from django.utils.html import format_html_join
from django.utils.safestring import SafeString, mark_safe

from pulso.core.middleware import allow_eval

register = template.Library()

VEGA_SCRIPTS = [
    "pulso/vendor/vega-6.4.0.min.js",
    "pulso/vendor/vega-lite-6.4.3.min.js",
    "pulso/vendor/vega-embed-7.3.0.min.js",
]


@register.simple_tag(takes_context=True)
def vega_scripts(context: dict[str, Any], defer: bool = True) -> SafeString:
    """Script tags of Vega, Vega-Lite and vega-embed; the page's policy allows their eval."""
    request = context.get("request")
    if request is not None:
        allow_eval(request)
    attribute = mark_safe(" defer") if defer else ""
    return format_html_join(
        "\n", '<script src="{}"{}></script>', ((static(path), attribute) for path in VEGA_SCRIPTS)
    )
