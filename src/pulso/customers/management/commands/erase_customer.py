from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from pulso.customers.actions import do_erase_customer
from pulso.customers.models import Customer


class Command(BaseCommand):
    help = (
        "Erase a customer's personal data everywhere (GDPR right to erasure): name, email, "
        "phone and personal details in their comments; scores and dashboard totals are kept."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("external_id", help="The customer's external id")
        parser.add_argument("--yes", action="store_true", help="Do not ask for confirmation")

    def handle(self, *args: Any, **options: Any) -> None:
        customer = Customer.objects.filter(external_id=options["external_id"]).first()
        if customer is None:
            raise CommandError(f"No customer has the external id {options['external_id']!r}.")
        if not options["yes"]:
            answer = input(f"Erase the personal data of customer {customer.external_id}? [y/N] ")
            if answer.strip().lower() not in {"y", "yes", "s", "si", "sí"}:
                raise CommandError("Nothing was erased.")
        erasure = do_erase_customer(customer)
        rows = sum(erasure.counts.values())
        self.stdout.write(f"Customer {customer.external_id} erased: {rows} rows rewritten.")
