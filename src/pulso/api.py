"""The REST API (django-ninja); each app contributes a router. OpenAPI at /api/docs."""

from __future__ import annotations

from ninja import NinjaAPI

from pulso.accounts.auth import api_auth
from pulso.journeys.api import router as journeys_router

api = NinjaAPI(
    title="Pulso API",
    version="1",
    description="Customer-experience data: journeys, surveys, responses, feedback and metrics.",
    urls_namespace="api",
    auth=api_auth,
)
api.add_router("/journeys", journeys_router)
