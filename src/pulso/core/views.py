"""Health check and the audit log page."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db import connection
from django.http import HttpRequest, JsonResponse
from django.http.response import HttpResponseBase
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from pulso.core import access
from pulso.core.audit import record_action
from pulso.core.audit_log import (
    EXPORT_HEADER,
    AuditFilters,
    audit_events,
    details,
    export_rows,
    verbs,
)
from pulso.core.csvstream import csv_download

AUDIT_PAGE_SIZE = 50


def healthz(request: HttpRequest) -> JsonResponse:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok"})


class AuditFilterForm(forms.Form):
    action = forms.CharField(
        label=_("Action"), max_length=60, required=False,
        widget=forms.TextInput(attrs={"list": "audit-actions"}),
        help_text=_("An action or its beginning, e.g. “case.” for everything about cases."),
    )  # fmt: skip
    actor = forms.CharField(label=_("User"), max_length=150, required=False)
    object_type = forms.CharField(label=_("Object type"), max_length=60, required=False)
    since = forms.DateField(
        label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    until = forms.DateField(
        label=_("To"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def clean(self) -> dict[str, object]:
        data = super().clean() or {}
        since, until = data.get("since"), data.get("until")
        if since and until and since > until:  # type: ignore[operator]
            self.add_error("until", _("The end date is before the start date."))
        return data

    def filters(self) -> AuditFilters:
        data = self.cleaned_data
        return AuditFilters(
            action=data["action"].strip(),
            actor=data["actor"].strip(),
            object_type=data["object_type"].strip(),
            since=data["since"],
            until=data["until"],
        )


@access.action_required("core.read_audit_log")
def audit_log(request: HttpRequest) -> HttpResponseBase:
    """Who did what and when, filtered; ``?export=csv`` downloads the filtered events."""
    if not access.can(request.user, "core.read_audit_log", access.COMPANY):
        raise PermissionDenied(_("Only administrators of the whole company read this."))
    form = AuditFilterForm(request.GET or None)
    if form.is_bound and not form.is_valid():
        context: dict[str, Any] = {"form": form, "page": None, "verbs": verbs()}
        return render(request, "core/audit_log.html", context, status=400)
    filters = form.filters() if form.is_bound else AuditFilters()
    events = audit_events(filters)
    if request.GET.get("export") == "csv":
        record_action("audit_log.exported", request.user, **_described(filters))
        stamp = timezone.localdate().isoformat()
        return csv_download(EXPORT_HEADER, export_rows(events), f"audit-log-{stamp}.csv")
    page = Paginator(events, AUDIT_PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    query.pop("export", None)
    rows = [(event, details(event.data)) for event in page.object_list]
    context = {
        "form": form, "page": page, "rows": rows, "verbs": verbs(), "query": query.urlencode(),
    }  # fmt: skip
    return render(request, "core/audit_log.html", context)


def _described(filters: AuditFilters) -> dict[str, str]:
    return {name: str(value) for name, value in vars(filters).items() if value}
