"""The NPS trend draws a period under the low base as a hollow grey point, its n in the tooltip."""

from __future__ import annotations

from datetime import date
from typing import Any

from pulso.metrics import charts
from pulso.metrics.dashboards import trend_rows
from pulso.metrics.filters import MetricFilter
from pulso.metrics.metrics import Totals


def _points(spec: dict[str, Any]) -> dict[str, Any]:
    (layer,) = [layer for layer in spec["layer"] if layer["mark"]["type"] == "point"]
    return layer


def test_a_single_answer_is_a_hollow_grey_point() -> None:
    f = MetricFilter(start=date(2025, 6, 1), end=date(2025, 7, 31))
    series = {
        date(2025, 6, 1): Totals(n=1, nps_n=1, promoters=1),
        date(2025, 7, 1): Totals(n=40, nps_n=40, promoters=20, detractors=10),
    }
    rows = trend_rows(series, f)
    spec = charts.nps_trend(rows, "NPS")
    june, july = spec["datasets"]["table"]
    assert (june["n"], june["low_base"], july["low_base"]) == (1, True, False)
    points = _points(spec)
    fill, colour = points["encoding"]["fill"], points["encoding"]["color"]
    assert fill["condition"] == {"test": "datum.low_base", "value": "white"}
    assert colour["condition"] == {"test": "datum.low_base", "value": charts.GREY}
    assert fill["value"] == colour["value"] == charts.BLUE
    tooltip = {t["field"] for t in points["encoding"]["tooltip"]}
    assert {"n", "nps", "base"} <= tooltip
    # the line itself carries no points: only the layer above marks the bases
    (line,) = [layer for layer in spec["layer"] if layer["mark"]["type"] == "line"]
    assert "point" not in line["mark"]
