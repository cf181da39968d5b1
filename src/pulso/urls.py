"""Root URL configuration."""

from django.conf import settings
from django.contrib import admin
from django.urls import URLPattern, URLResolver, include, path

from pulso.api import api

urlpatterns: list[URLPattern | URLResolver] = [
    # First: public survey pages take most requests, and no other prefix matches "s/".
    path("s/", include("pulso.surveys.public_urls")),
    path("", include("pulso.web.urls")),
    path("", include("pulso.core.urls")),
    path("accounts/", include("pulso.accounts.urls")),
    path("journeys/", include("pulso.journeys.urls")),
    path("customers/invitations/", include("pulso.surveys.distribution.urls")),
    path("customers/", include("pulso.customers.urls")),
    path("surveys/", include("pulso.surveys.urls")),
    path("feedback/", include("pulso.feedback.urls")),
    path("dashboards/", include("pulso.metrics.urls")),
    path("text/", include("pulso.textanalytics.urls")),
    path("cases/", include("pulso.loop.urls")),
    path("audits/", include("pulso.audits.urls")),
    path("economics/", include("pulso.economics.urls")),
    path("drivers/", include("pulso.drivers.urls")),
    path("benchmarks/", include("pulso.benchmarks.urls")),
    path("alerts/", include("pulso.alerts.urls")),
    path("crisis/", include("pulso.crisis.urls")),
    path("recognitions/", include("pulso.recognitions.urls")),
    path("reports/", include("pulso.reports.urls")),
    path("design/", include("pulso.design.urls")),
    path("inbox/", include("pulso.inbox.urls")),
    path("chat/", include("pulso.inbox.public_urls")),
    path("reputation/", include("pulso.reputation.urls")),
    path("initiatives/", include("pulso.initiatives.urls")),
    path("pulses/", include("pulso.pulses.urls")),
    path("e/", include("pulso.pulses.public_urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path("api/", api.urls),
]

if settings.DEBUG:  # pragma: no cover - development convenience only
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
