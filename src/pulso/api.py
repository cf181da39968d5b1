"""The REST API (django-ninja). Each app's ``api.py`` lists its routers; OpenAPI at /api/docs
(Swagger UI) and /api/redoc (Redoc)."""

from __future__ import annotations

import importlib

from pulso.accounts.auth import api_auth
from pulso.core.apiutils import PulsoApi

API_APPS = [
    "journeys",
    "customers",
    "surveys",
    "feedback",
    "metrics",
    "textanalytics",
    "loop",
    "economics",
    "initiatives",
    "pulses",
    "drivers",
    "benchmarks",
    "crisis",
    "inbox",
    "reputation",
]

api = PulsoApi(
    title="Pulso API",
    version="1",
    description="Customer-experience data: journeys, surveys, responses, feedback and metrics.",
    urls_namespace="api",
    auth=api_auth,
)

for app in API_APPS:
    module = importlib.import_module(f"pulso.{app}.api")
    for prefix, router in module.routers:
        api.add_router(prefix, router)
