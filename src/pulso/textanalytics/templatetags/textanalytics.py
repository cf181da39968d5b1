from __future__ import annotations

from typing import Any

from django import template

register = template.Library()


@register.filter
def get_item(mapping: Any, key: Any) -> Any:
    """mapping[key] in templates (None when absent)."""
    return mapping.get(key) if hasattr(mapping, "get") else None
