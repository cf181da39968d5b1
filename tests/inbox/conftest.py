"""A small Spanish knowledge base, as a company would write it."""

from __future__ import annotations

from typing import Any

import pytest

from pulso.inbox.actions import do_save_article
from pulso.inbox.models import Article

ARTICLES = [
    (
        "horario",
        "Horario de las tiendas",
        "Nuestras tiendas abren de lunes a sábado de 9:30 a 21:00.",
        "¿A qué hora abrís?\n¿Cuál es el horario de la tienda?\n¿Abrís los sábados?\n"
        "¿Hasta qué hora está abierta la tienda?\n¿Qué horario tenéis?",
    ),
    (
        "devoluciones",
        "Devoluciones",
        "Tienes 30 días para devolver un producto con el ticket de compra, en cualquier tienda.",
        "¿Cómo devuelvo un producto?\nQuiero devolver una compra\n¿Cuántos días tengo para "
        "devolverlo?\n¿Puedo devolver sin ticket?\nDevolución de un pedido",
    ),
    (
        "envios",
        "Plazos de envío",
        "Los pedidos online llegan en 2 a 4 días laborables; el envío es gratis desde 50 €.",
        "¿Cuánto tarda el envío?\n¿Cuándo llega mi pedido?\n¿El envío es gratis?\n"
        "¿Cuánto cuesta el envío a casa?\nPlazo de entrega de un pedido",
    ),
    (
        "instalacion",
        "Instalación a domicilio",
        "Instalamos electrodomésticos en casa: pide la cita al comprar o llamando al 900 100 200.",
        "¿Instaláis la lavadora?\n¿Cómo pido la instalación?\nQuiero que me monten el "
        "lavavajillas\n¿Cuánto cuesta instalar un frigorífico?\nCita para la instalación",
    ),
]


@pytest.fixture
def knowledge(db: None) -> list[Article]:
    return [
        do_save_article(slug=slug, language="es", title=title, body=body, questions=questions)
        for slug, title, body, questions in ARTICLES
    ]


@pytest.fixture(autouse=True)
def _office_open(settings: Any) -> None:
    settings.PULSO_INBOX_OFFICE_HOURS = "always"
