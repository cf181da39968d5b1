"""Turning "a segment" or "an uploaded list" into the customers to invite."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import QuerySet

from pulso.core.files import normalise_header, read_table
from pulso.core.text import has_lone_surrogates
from pulso.customers.importing import detect_mapping
from pulso.customers.models import Customer


@dataclass
class MatchedList:
    customer_ids: list[int] = field(default_factory=list)
    unknown_rows: list[int] = field(default_factory=list)


class ListWithoutKey(Exception):
    """The uploaded list has neither a customer id nor an email column."""


def segment_customers(segment: str) -> QuerySet[Customer]:
    customers = Customer.objects.order_by("pk")
    return customers.filter(segment=segment) if segment else customers


def match_uploaded_list(content: bytes, file_name: str) -> MatchedList:
    """Existing customers named in a file, by external id (or email when there is no id
    column); rows naming nobody known are listed. Raises ImportFileError / ListWithoutKey."""
    table = read_table(content, file_name)
    mapping = detect_mapping(table.headers)
    if "external_id" not in mapping and "email" not in mapping:
        # A bare one-column list of ids ("C0001\nC0002") has its first id as the header.
        if len(table.headers) != 1 or not normalise_header(table.headers[0]):
            raise ListWithoutKey
        table.rows.insert(0, (1, table.headers))
        mapping = {"external_id": 0}
    key = "external_id" if "external_id" in mapping else "email"
    index = mapping[key]
    wanted = {
        number: (cells[index].strip() if index < len(cells) else "") for number, cells in table.rows
    }
    if key == "email":
        wanted = {number: value.lower() for number, value in wanted.items()}
    # a value with bytes that could not be decoded names nobody (and PostgreSQL refuses it)
    known = {value for value in wanted.values() if not has_lone_surrogates(value)}
    lookup = {"external_id__in" if key == "external_id" else "email__in": known}
    found = dict(Customer.objects.filter(**lookup).values_list(key, "pk"))
    result = MatchedList()
    for number, value in wanted.items():
        if value in found:
            result.customer_ids.append(found[value])
        else:
            result.unknown_rows.append(number)
    result.customer_ids = list(dict.fromkeys(result.customer_ids))
    return result
