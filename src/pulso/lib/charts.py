"""What every Vega-Lite chart of Pulso shares: its colours, its named dataset, and the JSON it is
cached as (the spec is built once per title and language; each request adds its rows)."""

from __future__ import annotations

import json
from typing import Any

import altair as alt

# Okabe–Ito blue, orange, vermillion and bluish green: distinguishable with every common
# colour-vision deficiency.
BLUE, ORANGE, VERMILLION, GREEN, GREY = "#0072B2", "#E69F00", "#D55E00", "#009E73", "#999999"
SCORE_SCHEME: Any = "blueorange"  # diverging, reversed so that high scores are blue
WIDTH = "container"

DATA = alt.Data(name="table")  # the rows each request adds (:func:`with_data`)


def spec_json(chart: alt.TopLevelMixin) -> str:
    """A chart's Vega-Lite spec as JSON, drawn as SVG without the action menu (to cache)."""
    spec: dict[str, Any] = chart.to_dict()
    spec["usermeta"] = {"embedOptions": {"actions": False, "renderer": "svg"}}
    return json.dumps(spec)


def with_data(cached_spec: str, rows: list[dict[str, Any]]) -> dict[str, Any]:
    """The cached spec (built once per title and language) with this request's rows."""
    spec: dict[str, Any] = json.loads(cached_spec)
    spec["datasets"] = {**spec.get("datasets", {}), "table": rows}
    return spec
