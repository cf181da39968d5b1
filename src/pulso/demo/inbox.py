"""Demo step: the assistant's Spanish knowledge base (and a few English articles) and a
fortnight of chat conversations: answered by the assistant, handed to a person, answered by
the contact centre, closed. Every timestamp is in the past."""

from __future__ import annotations

import random
from datetime import timedelta
from typing import Any

from django.contrib.auth.models import User
from django.utils import timezone

from pulso.accounts.models import OrgUnit, Role
from pulso.feedback.models import Feedback
from pulso.inbox.actions import (
    do_close,
    do_receive_message,
    do_reply,
    do_save_article,
    do_start_conversation,
)
from pulso.inbox.models import Conversation, Message

ARTICLES_ES = [
    ("horario", "Horario de las tiendas",
     "Nuestras tiendas abren de lunes a sábado de 9:30 a 21:00. Los domingos abren solo las "
     "tiendas de centros comerciales, de 11:00 a 20:00.",
     ["¿A qué hora abrís?", "¿Cuál es el horario de la tienda?", "¿Abrís los domingos?",
      "¿Hasta qué hora está abierta la tienda?", "¿Qué horario tenéis en festivos?"]),
    ("devoluciones", "Devoluciones",
     "Tienes 30 días para devolver un producto con su ticket, en cualquier tienda o desde "
     "«Mis pedidos». Te devolvemos el dinero en el mismo medio de pago en 5 días.",
     ["¿Cómo devuelvo un producto?", "Quiero devolver una compra", "¿Cuántos días tengo para "
      "devolverlo?", "¿Puedo devolver sin ticket?", "¿Cuándo me devolvéis el dinero?"]),
    ("envios", "Plazos y gastos de envío",
     "Los pedidos online llegan en 2 a 4 días laborables; el envío es gratis desde 50 €. Los "
     "grandes electrodomésticos se entregan con cita.",
     ["¿Cuánto tarda el envío?", "¿Cuándo llega mi pedido?", "¿El envío es gratis?",
      "¿Cuánto cuesta el envío a casa?", "Plazo de entrega de un pedido"]),
    ("seguimiento", "Dónde está mi pedido",
     "En «Mis pedidos» ves el estado del pedido y el enlace de seguimiento del transportista. "
     "También te lo enviamos por SMS el día de la entrega.",
     ["¿Dónde está mi pedido?", "No sé por dónde va mi paquete", "Número de seguimiento",
      "¿Cómo sigo el envío?", "Mi pedido no ha llegado todavía"]),
    ("instalacion", "Instalación a domicilio",
     "Instalamos lavadoras, lavavajillas, frigoríficos y hornos en casa. Pide la cita al "
     "comprar o llamando al 900 100 200; cuesta 39 € y retiramos el aparato viejo gratis.",
     ["¿Instaláis la lavadora?", "¿Cómo pido la instalación?", "Quiero que me monten el "
      "lavavajillas", "¿Cuánto cuesta instalar un frigorífico?", "¿Os lleváis el aparato viejo?"]),
    ("garantia", "Garantía y reparaciones",
     "Todos los aparatos tienen 3 años de garantía. Para una reparación, abre una incidencia "
     "en «Mis pedidos» o llama al servicio técnico, 900 100 300.",
     ["¿Cuánta garantía tiene?", "Se me ha roto la lavadora", "¿Cómo pido una reparación?",
      "El frigorífico no enfría", "Teléfono del servicio técnico"]),
    ("pago", "Formas de pago y financiación",
     "Aceptamos tarjeta, Bizum, PayPal y transferencia. Financiamos compras desde 90 € hasta "
     "en 12 meses sin intereses.",
     ["¿Puedo pagar con Bizum?", "¿Se puede pagar a plazos?", "Formas de pago",
      "¿Tenéis financiación sin intereses?", "¿Aceptáis PayPal?"]),
    ("factura", "Facturas",
     "Descarga la factura de cualquier compra en «Mis pedidos». Si necesitas una factura a "
     "nombre de una empresa, pídela en tienda con el ticket.",
     ["¿Cómo consigo la factura?", "Necesito la factura de mi compra", "Factura a nombre de "
      "empresa", "¿Dónde descargo la factura?", "No me ha llegado la factura"]),
]  # fmt: skip

ARTICLES_EN = [
    ("returns", "Returns",
     "You have 30 days to return a product with its receipt, in any store or from “My orders”.",
     ["How do I return something?", "Can I get a refund?", "How long do I have to return it?"]),
    ("delivery", "Delivery times",
     "Online orders arrive in 2 to 4 working days; delivery is free over €50.",
     ["How long does delivery take?", "When will my order arrive?", "Is shipping free?"]),
]  # fmt: skip

# What visitors write, and what happens next: the assistant answers, or a person takes over.
CHATS = [
    ["¿Abrís el domingo en Bilbao?"],
    ["Hola, ¿cuánto tarda en llegar una nevera?"],
    ["¿Puedo pagar a plazos la lavadora?"],
    ["Quiero devolver una cafetera que compré la semana pasada"],
    ["¿Dónde descargo la factura?"],
    ["Se me ha roto el horno, ¿qué hago?"],
    ["¿Cómo sigo mi pedido?", "Quiero hablar con una persona"],
    ["Es una vergüenza, llevo tres semanas esperando la lavadora"],
    ["¿Vendéis recambios de la aspiradora Rowenta?"],
    ["¿Me instaláis el lavavajillas el sábado?", "¿Y os lleváis el viejo?"],
    ["¿Tenéis financiación sin intereses?"],
    ["El técnico no vino a la cita y nadie me avisa. Estoy harta."],
]
AGENT_REPLIES = [
    "Hola, soy del equipo de atención al cliente. Ya he revisado tu pedido y te llamamos hoy.",
    "Siento las molestias. He pedido al transportista una entrega prioritaria para mañana.",
]


def _shift(conversation: Conversation, started: Any) -> None:
    """Move a conversation made now back to ``started`` (its messages a minute apart)."""
    offset = timezone.now() - started
    for i, message in enumerate(conversation.messages.order_by("pk")):
        moment = started + timedelta(minutes=i)
        Message.objects.filter(pk=message.pk).update(created_at=moment)
        if message.feedback_id:
            Feedback.objects.filter(pk=message.feedback_id).update(
                received_at=moment, created_at=moment
            )
    Conversation.objects.filter(pk=conversation.pk).update(
        created_at=started,
        last_message_at=started + timedelta(minutes=conversation.messages.count()),
        handed_off_at=(conversation.handed_off_at - offset) if conversation.handed_off_at else None,
        closed_at=(conversation.closed_at - offset) if conversation.closed_at else None,
    )


def build(rng: random.Random, progress: Any) -> None:
    for slug, title, body, questions in ARTICLES_ES:
        do_save_article(slug=slug, language="es", title=title, body=body,
                        questions="\n".join(questions))  # fmt: skip
    for slug, title, body, questions in ARTICLES_EN:
        do_save_article(slug=slug, language="en", title=title, body=body,
                        questions="\n".join(questions))  # fmt: skip
    centre = OrgUnit.objects.filter(kind=OrgUnit.Kind.CONTACT_CENTRE).first()
    agents = list(User.objects.filter(memberships__role=Role.AGENT).order_by("pk")[:3])
    now = timezone.now()
    tick = progress("Chat conversations", len(CHATS))
    for i, texts in enumerate(CHATS):
        started = now - timedelta(days=14 - i, hours=rng.randint(1, 8))
        conversation = do_start_conversation(
            Conversation.Channel.CHAT, name=f"Visitante web {i + 1}", org_unit=centre
        )
        for text in texts:
            do_receive_message(conversation, text)
        conversation.refresh_from_db()
        handed = conversation.status == Conversation.Status.WAITING
        if handed and agents and i % 3 != 2:  # most handoffs answered, a few still waiting
            do_reply(conversation, rng.choice(agents), rng.choice(AGENT_REPLIES))
            if i < 8:
                do_close(conversation, actor=None)
        _shift(conversation, started)
        tick(1)
