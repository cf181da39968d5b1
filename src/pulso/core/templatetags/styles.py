"""``{% brand_style colour %}``: the company's colour as the ``--brand`` CSS variable, in the
one kind of inline ``<style>`` the Content-Security-Policy admits: one carrying the nonce."""

from __future__ import annotations

import re
from typing import Any

from django import template
from django.utils.html import format_html
from django.utils.safestring import SafeString

register = template.Library()

HEX_COLOUR = re.compile(r"#[0-9a-fA-F]{6}")


@register.simple_tag(takes_context=True)
def brand_style(context: dict[str, Any], colour: str) -> SafeString | str:
    """``<style nonce="…">:root { --brand: #rrggbb; }</style>``; anything but a hex colour is
    left out (the stylesheet's default colour applies) rather than written into CSS."""
    request = context.get("request")
    if not HEX_COLOUR.fullmatch(str(colour or "")) or getattr(request, "htmx", False):
        # HTMX keeps the page's <head> and swaps in part of the body; Chromium checks the
        # <style> of a response it parses against the page's policy, whose nonce is another.
        return ""
    nonce = getattr(request, "csp_nonce", None)
    if nonce is None:  # rendered outside a request (no policy to satisfy)
        return format_html("<style>:root {{ --brand: {}; }}</style>", colour)
    return format_html('<style nonce="{}">:root {{ --brand: {}; }}</style>', nonce, colour)
