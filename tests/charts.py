"""Reading a chart's Vega-Lite spec back from a rendered page."""

from __future__ import annotations

import json
import re
from typing import Any


def chart_on_page(html: str, script_id: str) -> dict[str, Any]:
    """The spec a page embeds with ``json_script`` under ``script_id``: it parses, is drawn as
    SVG without the action menu, and carries its rows as the ``table`` dataset."""
    found = re.search(rf'<script id="{script_id}" type="application/json">(.*?)</script>', html)
    assert found, f"the page embeds the chart {script_id!r}"
    spec: dict[str, Any] = json.loads(found.group(1))
    assert spec["$schema"].startswith("https://vega.github.io/schema/vega-lite/")
    assert spec["usermeta"] == {"embedOptions": {"actions": False, "renderer": "svg"}}
    assert isinstance(spec["datasets"]["table"], list)
    return spec


def chart_rows(html: str, script_id: str) -> list[dict[str, Any]]:
    """The rows of the chart ``script_id`` on the page."""
    return list(chart_on_page(html, script_id)["datasets"]["table"])
