"""Demo service blueprints for two journeys, and the archetypes of the demo's customers."""

from __future__ import annotations

import random
from datetime import timedelta
from typing import Any

from django.utils import timezone

from pulso.design.actions import do_find_archetypes
from pulso.design.models import Segmentation
from pulso.journeys.models import BLUEPRINT_FIELDS, Touchpoint

# journey → touchpoint → (customer action, front stage, back stage, support processes, systems,
# responsible role, standards), in the order of BLUEPRINT_FIELDS.
BLUEPRINTS: dict[str, dict[str, tuple[str, str, str, str, str, str, str]]] = {
    "Compra en tienda": {
        "Acogida en tienda": (
            "Entra en la tienda y busca a quién preguntar.",
            "El vendedor de zona saluda y pregunta qué necesita.",
            "El encargado reparte las zonas según la afluencia.",
            "Planificación de turnos por franjas de tráfico.",
            "Contador de visitas; cuadrante de turnos",
            "Jefe de tienda",
            "Saludo en menos de 2 minutos desde la entrada.",
        ),
        "Asesoramiento del vendedor": (
            "Explica su necesidad, compara modelos y precios.",
            "El vendedor pregunta por uso y espacio y recomienda dos o tres modelos.",
            "Consulta de stock y plazos de entrega en el almacén central.",
            "Formación de producto trimestral; comparativas de marca.",
            "TPV; consulta de stock; catálogo digital",
            "Vendedor de zona",
            "Recomendar según la necesidad, no según la comisión; precio final con servicios.",
        ),
        "Pago en caja": (
            "Hace cola y paga.",
            "El cajero cobra, explica garantía y entrega el ticket.",
            "Apertura de una segunda caja cuando hay más de 4 personas en cola.",
            "Cuadre de caja; gestión de devoluciones.",
            "TPV; datáfono",
            "Jefe de tienda",
            "Espera en cola menor de 5 minutos; ticket correcto a la primera.",
        ),
        "Financiación": (
            "Pide pagar a plazos y aporta su documentación.",
            "El vendedor explica cuotas, TAE y condiciones.",
            "La financiera estudia la operación en línea.",
            "Acuerdo con la entidad financiera; revisión de riesgos.",
            "Portal de la financiera; TPV",
            "Responsable de financiación",
            "Respuesta en menos de 15 minutos; cuota y TAE por escrito.",
        ),
        "Recogida del producto": (
            "Recoge el producto en el almacén de la tienda.",
            "El mozo de almacén entrega y revisa el embalaje con el cliente.",
            "Preparación del pedido al confirmar el pago.",
            "Reposición desde el almacén central.",
            "Gestión de almacén; aviso por SMS",
            "Encargado de almacén",
            "Producto listo en menos de 20 minutos tras el pago.",
        ),
    },
    "Entrega e instalación": {
        "Programación de la entrega": (
            "Elige día y franja de entrega.",
            "El agente del centro de atención ofrece franjas de 2 horas.",
            "Logística asigna la ruta y el camión.",
            "Planificación de rutas diaria.",
            "CRM; planificador de rutas",
            "Supervisor de turno",
            "Franja de 2 horas; confirmación por SMS y correo.",
        ),
        "Aviso de llegada": (
            "Recibe el aviso y se prepara para la entrega.",
            "SMS con la hora estimada y el nombre del repartidor.",
            "El sistema recalcula la llegada con el tráfico.",
            "Seguimiento de flota.",
            "GPS de la flota; pasarela de SMS",
            "Jefe de tráfico",
            "Aviso 30 minutos antes de llegar.",
        ),
        "Entrega a domicilio": (
            "Recibe el producto en casa.",
            "Los repartidores suben el aparato, lo desembalan y lo colocan.",
            "El almacén prepara la carga la víspera.",
            "Subcontratación de repartos; seguro de transporte.",
            "App de reparto; firma digital",
            "Jefe de logística",
            "Llegada dentro de la franja; sin cargo sorpresa por pisos sin ascensor.",
        ),
        "Instalación del electrodoméstico": (
            "Ve cómo instalan el aparato y prueba que funciona.",
            "El instalador conecta, prueba y explica el uso básico.",
            "Reserva de piezas y tomas necesarias.",
            "Certificación de instaladores; stock de accesorios.",
            "App de instalación; catálogo de accesorios",
            "Coordinador de instalaciones",
            "Instalación a la primera; prueba de funcionamiento delante del cliente.",
        ),
        "Retirada del aparato usado": (
            "Entrega el aparato viejo.",
            "Los repartidores lo retiran sin coste adicional.",
            "Transporte al punto limpio.",
            "Gestión de residuos (RAEE).",
            "Registro RAEE",
            "Responsable de medio ambiente",
            "Retirada el mismo día de la entrega.",
        ),
        "Conformidad y factura": (
            "Firma la conformidad y recibe la factura.",
            "El instalador recoge la firma y resuelve dudas.",
            "Facturación automática al cerrar la orden.",
            "Administración de ventas.",
            "ERP; correo de factura",
            "Coordinador de instalaciones",
            "Factura en el correo en menos de 24 horas.",
        ),
    },
}


def build(rng: random.Random, progress: Any) -> None:
    tick = progress("Blueprints and archetypes", 2)
    for journey, touchpoints in BLUEPRINTS.items():
        for name, lanes in touchpoints.items():
            fields = dict(zip(BLUEPRINT_FIELDS, lanes, strict=True))
            Touchpoint.objects.filter(stage__journey__name=journey, name=name).update(**fields)
    tick(1)
    if not Segmentation.objects.exists():
        today = timezone.localdate()
        do_find_archetypes(today - timedelta(days=365), today, seed=rng.randrange(2**31))
    tick(1)
