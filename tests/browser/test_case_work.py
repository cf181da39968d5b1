"""Browser: a store manager goes from home to her case, writes to the customer from a template
and closes the case with its resolution in one step."""

from __future__ import annotations

from typing import Any

from pulso.accounts.models import OrgUnit, Role
from pulso.customers.models import Customer
from pulso.loop.actions import do_open_case
from pulso.loop.models import Case, CaseEvent, Notification
from tests.browser.conftest import log_in, screenshot
from tests.factories import FeedbackFactory, MembershipFactory, OrgUnitFactory, UserFactory


def test_a_store_manager_contacts_the_customer_and_closes_the_case(
    page: Any, live_server: Any, transactional_db: None
) -> None:
    company = OrgUnitFactory(name="ElectroHogar", code="eh", kind=OrgUnit.Kind.COMPANY)
    store = OrgUnitFactory(name="Tienda Bilbao", code="bilbao", parent=company)
    manager = MembershipFactory(
        user=UserFactory(username="lucia", first_name="Lucía"), unit=store, role=Role.UNIT_MANAGER
    ).user
    customer = Customer.objects.create(
        external_id="C-1", name="Marta Ruiz", email="marta@example.com", consent_to_contact=True
    )
    record = FeedbackFactory(text="El pedido llegó roto", org_unit=store, customer=customer)
    case = do_open_case(
        title="NPS 2: el pedido llegó roto", unit=store, priority="high", owner=manager,
        feedback=record, customer=customer,
    )  # fmt: skip

    log_in(page, live_server, "lucia")
    screenshot(page, "case-work-1-home")
    page.get_by_role("link", name="Ir a mis casos").click()
    page.get_by_role("link", name=case.title).click()
    assert "marta@example.com" in page.locator(".case-facts").inner_text()  # she owns it

    page.get_by_label("Plantilla").select_option(label="Disculpa y solución")
    page.get_by_role("button", name="Enviar correo").click()
    page.wait_for_load_state()
    assert page.locator("#case-status").inner_text() == "Cliente contactado"
    screenshot(page, "case-work-2-contacted")

    page.get_by_label("Nuevo estado").select_option(label="Cerrado")
    page.get_by_label("Resolución").fill("Producto sustituido y envío reembolsado.")
    page.get_by_role("button", name="Cambiar estado").click()
    page.wait_for_load_state()
    assert page.locator("#case-status").inner_text() == "Cerrado"
    timeline = page.locator(".timeline").inner_text()
    assert "Sentimos mucho lo ocurrido" in timeline
    path = screenshot(page, "case-work-3-closed")
    assert path.stat().st_size > 10_000

    case.refresh_from_db()
    assert case.status == Case.Status.CLOSED
    assert case.resolution == "Producto sustituido y envío reembolsado."
    assert case.events.filter(kind=CaseEvent.Kind.CONTACT).count() == 1
    sent = Notification.objects.get(kind=Notification.Kind.CUSTOMER_CONTACT)
    assert sent.to_email == "marta@example.com" and sent.case == case
    assert "Marta Ruiz" in sent.body and str(case.pk) in sent.subject
