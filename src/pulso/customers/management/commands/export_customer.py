from __future__ import annotations

import json
import sys
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.core.serializers.json import DjangoJSONEncoder

from pulso.core.audit import record_event
from pulso.customers.archive import customer_archive
from pulso.customers.models import Customer


class Command(BaseCommand):
    help = (
        "Export everything Pulso holds about one customer as JSON (GDPR access and "
        "portability): their record and every row about them."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("external_id", help="The customer's external id")
        parser.add_argument("--output", "-o", help="File to write (default: standard output)")

    def handle(self, *args: Any, **options: Any) -> None:
        customer = Customer.objects.filter(external_id=options["external_id"]).first()
        if customer is None:
            raise CommandError(f"No customer has the external id {options['external_id']!r}.")
        text = json.dumps(
            customer_archive(customer), cls=DjangoJSONEncoder, ensure_ascii=False, indent=2
        )
        if options["output"]:
            with open(options["output"], "w", encoding="utf-8") as out:
                out.write(text)
        else:
            sys.stdout.write(text + "\n")
        record_event("customer.exported", customer)
