"""Demo customer journeys of ElectroHogar, with stages, touchpoints and moments of truth."""

from __future__ import annotations

import random
from typing import Any

from pulso.accounts.models import OrgUnit
from pulso.journeys.models import Journey, Stage, Touchpoint

# (journey, description, [(stage, [(touchpoint, channel, owner code, moment of truth, text)])])
JOURNEYS: list[tuple[str, str, list[tuple[str, list[tuple[str, str, str, bool, str]]]]]] = [
    (
        "Compra en tienda",
        "Desde que el cliente entra en una tienda hasta que se lleva el producto.",
        [
            (
                "Llegada",
                [
                    (
                        "Acogida en tienda",
                        "store",
                        "",
                        False,
                        "Saludo, orientación y tiempo hasta ser atendido.",
                    )
                ],
            ),
            (
                "Asesoramiento",
                [
                    (
                        "Asesoramiento del vendedor",
                        "store",
                        "",
                        True,
                        "El vendedor entiende la necesidad y recomienda con honestidad.",
                    )
                ],
            ),
            (
                "Compra",
                [
                    ("Pago en caja", "store", "", False, "Tiempo de cola y cobro correcto."),
                    ("Financiación", "store", "", False, "Estudio y firma de la financiación."),
                ],
            ),
            (
                "Después de la compra",
                [
                    (
                        "Recogida del producto",
                        "store",
                        "logistics",
                        False,
                        "Entrega del producto en el almacén de la tienda.",
                    )
                ],
            ),
        ],
    ),
    (
        "Compra online",
        "Compra en la web y en la app, desde la búsqueda hasta el seguimiento.",
        [
            (
                "Búsqueda",
                [
                    (
                        "Búsqueda en la web",
                        "web",
                        "online-shop",
                        False,
                        "Buscador, filtros y comparativas.",
                    ),
                    (
                        "Ficha de producto",
                        "web",
                        "online-shop",
                        False,
                        "Información, opiniones y disponibilidad.",
                    ),
                ],
            ),
            (
                "Compra",
                [
                    (
                        "Carrito y pago",
                        "web",
                        "online-shop",
                        True,
                        "Checkout, medios de pago y errores.",
                    ),
                    (
                        "Compra en la app",
                        "app",
                        "online-shop",
                        False,
                        "Experiencia en la app móvil.",
                    ),
                ],
            ),
            (
                "Seguimiento",
                [
                    (
                        "Confirmación del pedido",
                        "email",
                        "online-shop",
                        False,
                        "Email de confirmación y factura.",
                    ),
                    (
                        "Seguimiento del pedido",
                        "web",
                        "logistics",
                        False,
                        "Estado del pedido y avisos.",
                    ),
                ],
            ),
        ],
    ),
    (
        "Entrega e instalación",
        "Entrega a domicilio de grandes electrodomésticos e instalación.",
        [
            (
                "Programación",
                [
                    (
                        "Programación de la entrega",
                        "call_centre",
                        "contact-centre",
                        False,
                        "Llamada para acordar día y franja horaria.",
                    ),
                    (
                        "Aviso de llegada",
                        "sms",
                        "logistics",
                        False,
                        "SMS con la franja de llegada del transportista.",
                    ),
                ],
            ),
            (
                "Entrega",
                [
                    (
                        "Entrega a domicilio",
                        "home",
                        "logistics",
                        True,
                        "Puntualidad, trato y estado del producto al llegar.",
                    )
                ],
            ),
            (
                "Instalación",
                [
                    (
                        "Instalación del electrodoméstico",
                        "home",
                        "installations",
                        True,
                        "Instalación, prueba y explicación de uso.",
                    ),
                    (
                        "Retirada del aparato usado",
                        "home",
                        "logistics",
                        False,
                        "Recogida del electrodoméstico viejo para reciclaje.",
                    ),
                ],
            ),
            (
                "Cierre",
                [
                    (
                        "Conformidad y factura",
                        "email",
                        "installations",
                        False,
                        "Albarán firmado y factura de la instalación.",
                    )
                ],
            ),
        ],
    ),
    (
        "Servicio técnico / garantía",
        "Averías, reparaciones y garantía de los productos.",
        [
            (
                "Solicitud",
                [
                    (
                        "Aviso de avería",
                        "call_centre",
                        "contact-centre",
                        True,
                        "Llamada o chat para comunicar la avería.",
                    ),
                    (
                        "Chat de soporte",
                        "chat",
                        "contact-centre",
                        False,
                        "Diagnóstico inicial por chat.",
                    ),
                ],
            ),
            (
                "Reparación",
                [
                    (
                        "Visita del técnico",
                        "home",
                        "technical-service",
                        True,
                        "Puntualidad y diagnóstico en casa.",
                    ),
                    (
                        "Reparación en taller",
                        "store",
                        "technical-service",
                        False,
                        "Plazo y calidad de la reparación.",
                    ),
                ],
            ),
            (
                "Resolución",
                [
                    (
                        "Cierre de la incidencia",
                        "email",
                        "technical-service",
                        False,
                        "Comunicación del resultado y del coste, si lo hay.",
                    )
                ],
            ),
        ],
    ),
    (
        "Seguro de electrodomésticos",
        "Contratación y uso del seguro de protección ampliada.",
        [
            (
                "Contratación",
                [
                    (
                        "Contratación del seguro",
                        "store",
                        "insurance",
                        False,
                        "Explicación de coberturas y precio.",
                    )
                ],
            ),
            (
                "Siniestro",
                [
                    (
                        "Declaración del siniestro",
                        "call_centre",
                        "insurance",
                        True,
                        "Facilidad para declarar el siniestro.",
                    ),
                    ("Peritación", "home", "insurance", False, "Visita o valoración del daño."),
                ],
            ),
            (
                "Resolución",
                [
                    (
                        "Resolución del siniestro",
                        "email",
                        "insurance",
                        True,
                        "Reparación, sustitución o indemnización.",
                    ),
                    (
                        "Renovación de la póliza",
                        "email",
                        "insurance",
                        False,
                        "Aviso de renovación y precio.",
                    ),
                ],
            ),
        ],
    ),
]

# What the customer comes to do at each touchpoint: the benchmark of interactions compares the
# channels of one type (faults and claims reported by phone, by chat, by email…).
INTERACTION_TYPES: dict[str, str] = {
    "Acogida en tienda": "purchase",
    "Asesoramiento del vendedor": "enquiry",
    "Pago en caja": "purchase",
    "Financiación": "paperwork",
    "Recogida del producto": "delivery",
    "Búsqueda en la web": "enquiry",
    "Ficha de producto": "enquiry",
    "Carrito y pago": "purchase",
    "Compra en la app": "purchase",
    "Confirmación del pedido": "paperwork",
    "Seguimiento del pedido": "delivery",
    "Programación de la entrega": "delivery",
    "Aviso de llegada": "delivery",
    "Entrega a domicilio": "delivery",
    "Instalación del electrodoméstico": "delivery",
    "Retirada del aparato usado": "delivery",
    "Conformidad y factura": "paperwork",
    "Aviso de avería": "incident",
    "Chat de soporte": "incident",
    "Visita del técnico": "repair",
    "Reparación en taller": "repair",
    "Cierre de la incidencia": "incident",
    "Contratación del seguro": "purchase",
    "Declaración del siniestro": "incident",
    "Peritación": "incident",
    "Resolución del siniestro": "incident",
    "Renovación de la póliza": "paperwork",
}


def build(rng: random.Random, progress: Any) -> None:
    tick = progress("Customer journeys", len(JOURNEYS))
    units = {unit.code: unit for unit in OrgUnit.objects.all()}
    stores_owner = units.get("electrohogar")
    for position, (name, description, stages) in enumerate(JOURNEYS):
        journey, _ = Journey.objects.get_or_create(
            slug=_slug(name),
            defaults={"name": name, "description": description, "position": position},
        )
        for stage_position, (stage_name, touchpoints) in enumerate(stages):
            stage, _ = Stage.objects.get_or_create(
                journey=journey, name=stage_name, defaults={"position": stage_position}
            )
            for tp_position, (tp_name, channel, owner, is_mot, text) in enumerate(touchpoints):
                Touchpoint.objects.get_or_create(
                    stage=stage,
                    name=tp_name,
                    defaults={
                        "channel": channel,
                        "interaction_type": INTERACTION_TYPES.get(tp_name, ""),
                        "owner_unit": units.get(owner) if owner else stores_owner,
                        "is_moment_of_truth": is_mot,
                        "description": text,
                        "position": tp_position,
                    },
                )
        tick(1)
    _classify_existing()


def _classify_existing() -> None:
    """Demo touchpoints created before interaction types existed get theirs."""
    for name, kind in INTERACTION_TYPES.items():
        Touchpoint.objects.filter(name=name, interaction_type="").update(interaction_type=kind)


def _slug(name: str) -> str:
    from django.utils.text import slugify

    return slugify(name)
