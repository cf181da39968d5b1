"""Reconocimientos: the praise that named a person, and that of the people they manage."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Q, QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from pulso.accounts.models import Membership, Role
from pulso.accounts.privacy import personal_data
from pulso.core.access import person
from pulso.recognitions.models import Recognition

PAGE_SIZE = 25


def recognitions_for(user_id: int) -> QuerySet[Recognition]:
    """One's own recognitions and those in the units one manages (and the units below)."""
    condition = Q(employee_id=user_id)
    managed = Membership.objects.filter(user_id=user_id, role=Role.UNIT_MANAGER)
    for path in managed.values_list("unit__path", flat=True):
        condition |= Q(unit__path__startswith=path)
    return Recognition.objects.filter(condition)


@login_required
def recognition_list(request: HttpRequest) -> HttpResponse:
    user = person(request.user)
    found = recognitions_for(user.pk).select_related("feedback", "employee", "unit")
    page = Paginator(found, PAGE_SIZE).get_page(request.GET.get("page"))
    privacy = personal_data(user)
    rows = [
        {
            "recognition": item,
            "mine": item.employee_id == user.pk,
            "text": privacy.text(item.feedback.text, unit_id=item.unit_id),
        }
        for item in page.object_list
    ]
    return render(request, "recognitions/list.html", {"page": page, "rows": rows})
