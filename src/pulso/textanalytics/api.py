"""REST API routers of the textanalytics app, mounted by pulso.api."""

from __future__ import annotations

from ninja import Router

routers: list[tuple[str, Router]] = []
