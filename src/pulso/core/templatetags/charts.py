"""``{% vega_scripts %}``: the vendored Vega scripts and Pulso's chart renderer."""

from __future__ import annotations

from django import template
from django.templatetags.static import static
from django.utils.html import format_html_join
from django.utils.safestring import SafeString, mark_safe

register = template.Library()

VEGA_SCRIPTS = [
    "pulso/vendor/vega-6.4.0.min.js",
    "pulso/vendor/vega-lite-6.4.3.min.js",
    "pulso/vendor/vega-embed-7.3.0.min.js",
    # Embeds every chart with Vega's expression interpreter and no injected <style>, so chart
    # pages need neither 'unsafe-eval' nor inline styles (docs/deployment.md).
    "pulso/js/charts.js",
]


@register.simple_tag
def vega_scripts(defer: bool = True) -> SafeString:
    """Script tags of Vega, Vega-Lite, vega-embed and ``PulsoCharts`` (pulso/js/charts.js)."""
    attribute = mark_safe(" defer") if defer else ""
    return format_html_join(
        "\n", '<script src="{}"{}></script>', ((static(path), attribute) for path in VEGA_SCRIPTS)
    )
