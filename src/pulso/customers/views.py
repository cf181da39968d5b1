"""Customer list, one customer's history, file imports and the public unsubscribe page."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Q, QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_protect

from pulso.accounts.privacy import personal_data
from pulso.core.access import action_required
from pulso.core.files import ImportFileError, Table, read_table
from pulso.core.text import clean_text
from pulso.customers import actions
from pulso.customers.forms import (
    ActionFileForm,
    ColumnMappingForm,
    CustomerFileForm,
    CustomerSearchForm,
)
from pulso.customers.history import customer_timeline
from pulso.customers.importing import detect_mapping
from pulso.customers.links import read_unsubscribe_token
from pulso.customers.models import Customer, CustomerImport

PAGE_SIZE = 25
member_required = action_required("customers.view_customer")
manager_required = action_required("customers.change_customer")
action_importer_required = action_required("customers.add_customeraction")
PREVIEW_ROWS = 10


def segments() -> list[str]:
    values = Customer.objects.exclude(segment="").values_list("segment", flat=True)
    return list(values.distinct().order_by("segment"))


def search_customers(form: CustomerSearchForm, *, by_contact: bool = True) -> QuerySet[Customer]:
    """Customers matching the form; by name, email and phone only for people who may see them
    (``by_contact``), so that a search cannot reveal what the list hides."""
    customers = Customer.objects.all()
    if not form.is_valid():
        return customers
    if query := form.cleaned_data["q"].strip():
        condition = Q(external_id__icontains=query)
        if by_contact:
            condition |= (
                Q(name__icontains=query) | Q(email__icontains=query) | Q(phone__icontains=query)
            )
        customers = customers.filter(condition)
    if segment := form.cleaned_data["segment"]:
        customers = customers.filter(segment=segment)
    return customers


@member_required
def customer_list(request: HttpRequest) -> HttpResponse:
    form = CustomerSearchForm(request.GET or None, segments=segments())
    found = search_customers(form, by_contact=personal_data(request.user).anywhere)
    page = Paginator(found, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "form": form,
        "page": page,
        "query": query.urlencode(),
        "searching": bool(request.GET.get("q") or request.GET.get("segment")),
    }
    return render(request, "customers/customer_list.html", context)


@member_required
def customer_detail(request: HttpRequest, pk: int) -> HttpResponse:
    customer = get_object_or_404(Customer, pk=pk)
    timeline = customer_timeline(customer, request.user)
    page: Any = Paginator(timeline, PAGE_SIZE).get_page(request.GET.get("page"))  # type: ignore[arg-type]
    context = {"customer": customer, "page": page}
    return render(request, "customers/customer_detail.html", context)


@manager_required
def customer_import(request: HttpRequest) -> HttpResponse:
    form = CustomerFileForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            stored = actions.do_upload_customer_file(upload.name, upload.read(), request.user)
        except ImportFileError as exc:
            form.add_error("file", str(exc))
        else:
            return redirect("customers:import_review", pk=stored.pk)
    recent = CustomerImport.objects.defer("content").select_related("created_by")[:10]
    status = 400 if form.errors else 200
    context = {"form": form, "recent": recent}
    return render(request, "customers/import_upload.html", context, status=status)


@manager_required
def customer_import_review(request: HttpRequest, pk: int) -> HttpResponse:
    upload = get_object_or_404(CustomerImport, pk=pk)
    if upload.status == CustomerImport.Status.DONE:
        return _import_result(request, upload)
    try:
        table = read_table(bytes(upload.content), upload.file_name)
    except ImportFileError as exc:
        messages.error(request, str(exc))
        return redirect("customers:import")
    form = ColumnMappingForm(
        request.POST or None, headers=table.headers, initial_mapping=detect_mapping(table.headers)
    )
    if request.method == "POST" and form.is_valid():
        report = actions.do_run_customer_import(upload, form.mapping(), request.user)
        messages.success(
            request,
            _("%(created)s customers created and %(updated)s updated; %(rejected)s rows rejected.")
            % {
                "created": report.created,
                "updated": report.updated,
                "rejected": len(report.errors),
            },
        )
        return redirect("customers:import_review", pk=upload.pk)
    return _import_preview(request, upload, table, form)


def _import_preview(
    request: HttpRequest, upload: CustomerImport, table: Table, form: ColumnMappingForm
) -> HttpResponse:
    mapping = form.mapping() if form.is_bound and form.is_valid() else detect_mapping(table.headers)
    check = actions.import_rows(table, mapping, dry_run=True) if "external_id" in mapping else None
    context = {
        "upload": upload,
        "table": table,
        "preview": [[clean_text(c) for c in cells] for _n, cells in table.rows[:PREVIEW_ROWS]],
        "form": form,
        "check": check,
        "first_errors": check.errors[:20] if check else [],
    }
    status = 400 if form.errors else 200
    return render(request, "customers/import_review.html", context, status=status)


def _import_result(request: HttpRequest, upload: CustomerImport) -> HttpResponse:
    page = Paginator(upload.errors, 50).get_page(request.GET.get("page"))
    context = {"upload": upload, "page": page}
    return render(request, "customers/import_result.html", context)


@action_importer_required
def action_import(request: HttpRequest) -> HttpResponse:
    """Upload a file of customer actions; the report lists the rejected rows."""
    form = ActionFileForm(request.POST or None, request.FILES or None)
    report = None
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            report = actions.do_import_customer_action_file(
                upload.name,
                upload.read(),
                date_order=form.cleaned_data["date_order"],
                actor=request.user,
            )
        except ImportFileError as exc:
            form.add_error("file", str(exc))
    status = 400 if form.errors else 200
    context = {"form": form, "report": report, "rejected": report.rejected[:200] if report else []}
    return render(request, "customers/action_import.html", context, status=status)


@csrf_protect
def unsubscribe(request: HttpRequest, token: str) -> HttpResponse:
    """Public page (no login): confirm with a POST, then the opt-out is recorded."""
    found = read_unsubscribe_token(token)
    customer = Customer.objects.filter(pk=found[0]).first() if found else None
    if found is None or customer is None:
        return render(request, "customers/unsubscribe_invalid.html", status=404)
    done = customer.is_unsubscribed
    if request.method == "POST":
        actions.do_unsubscribe(customer, invitation_id=found[1])
        done = True
    context: dict[str, Any] = {"customer": customer, "done": done}
    with translation.override(customer.language or "es"):
        return render(request, "customers/unsubscribe.html", context)
