"""Phrases the demo uses to write realistic Spanish (and some English) customer comments."""

from __future__ import annotations

import random
import unicodedata

ASPECTS: dict[str, dict[str, list[str]]] = {
    "personal": {
        "pos": [
            "el vendedor fue muy amable y me explicó todas las diferencias entre modelos",
            "la dependienta me asesoró con mucha paciencia",
            "el trato del personal fue excelente",
            "me atendieron enseguida y con una sonrisa",
            "el chico que me atendió sabía muchísimo de frigoríficos",
            "muy buena atención, se nota que conocen el producto",
        ],
        "neg": [
            "el vendedor no tenía ni idea de lo que vendía",
            "nadie me atendió, los empleados estaban hablando entre ellos",
            "el trato fue bastante borde",
            "me intentaron colar un seguro que no necesitaba",
            "el dependiente tenía prisa y no me dejó preguntar",
            "me sentí ignorado por el personal",
        ],
        "neu": ["el vendedor cumplió", "la atención fue correcta, sin más"],
    },
    "espera": {
        "pos": ["no tuve que esperar nada", "la cola de caja fue muy rápida"],
        "neg": [
            "esperé más de media hora para que alguien me atendiera",
            "la cola para pagar era interminable",
            "tuve que esperar cuarenta minutos al teléfono",
            "estuve en espera al teléfono y se cortó dos veces",
            "tardaron muchísimo en cogerme el teléfono",
        ],
        "neu": ["había algo de cola pero avanzó"],
    },
    "entrega": {
        "pos": [
            "la entrega llegó puntual y en la franja acordada",
            "los transportistas fueron muy cuidadosos",
            "me avisaron por SMS una hora antes de llegar, perfecto",
            "el pedido llegó antes de lo previsto",
        ],
        "neg": [
            "la entrega llegó con tres días de retraso",
            "nadie apareció en la franja horaria y tuve que pedir el día libre",
            "la lavadora llegó con un golpe en el lateral",
            "el repartidor dejó la caja en el portal sin subirla",
            "me cambiaron la fecha de entrega dos veces sin avisar",
            "el frigorífico llegó abollado y tuve que reclamar",
        ],
        "neu": ["la entrega fue normal", "llegó el día previsto"],
    },
    "instalacion": {
        "pos": [
            "el técnico instaló el lavavajillas en un momento y lo dejó todo limpio",
            "la instalación fue impecable y me explicaron cómo funciona",
            "el instalador fue muy profesional",
        ],
        "neg": [
            "el instalador no traía las piezas necesarias y tuvo que volver otro día",
            "la instalación quedó mal y ahora pierde agua",
            "no me instalaron la campana porque decían que no estaba incluido",
            "dejaron todo sucio después de la instalación",
            "tardaron dos semanas en venir a instalar la placa",
        ],
        "neu": ["la instalación fue correcta"],
    },
    "precio": {
        "pos": ["el precio era el mejor que encontré", "buena relación calidad-precio"],
        "neg": [
            "el precio en tienda era más caro que en la web",
            "me parece muy caro para lo que es",
            "la oferta anunciada no se aplicaba en caja",
        ],
        "neu": ["el precio está en la media"],
    },
    "producto": {
        "pos": ["el producto funciona de maravilla", "el horno es una pasada, muy contento"],
        "neg": [
            "el aparato dejó de funcionar a las dos semanas",
            "la secadora hace un ruido horrible",
            "el televisor venía con un píxel muerto",
        ],
        "neu": ["el producto es el que esperaba"],
    },
    "factura": {
        "pos": ["la factura llegó al momento por email"],
        "neg": [
            "me cobraron dos veces el mismo pedido",
            "la factura tenía mal el NIF y nadie la corrige",
            "me cobraron la instalación aunque venía incluida",
            "todavía estoy esperando el reembolso",
        ],
        "neu": ["el cobro fue correcto"],
    },
    "garantia": {
        "pos": [
            "la reparación en garantía fue rapidísima",
            "me cambiaron el aparato sin poner ninguna pega",
        ],
        "neg": [
            "la garantía no cubre nada de lo que prometieron",
            "llevo un mes esperando la reparación",
            "el técnico vino, no trajo el recambio y desapareció",
            "me quieren cobrar la reparación estando en garantía",
        ],
        "neu": ["la reparación tardó lo normal"],
    },
    "web": {
        "pos": [
            "la web es muy fácil de usar",
            "encontré lo que buscaba en dos clics",
            "el pago con Bizum fue muy cómodo",
        ],
        "neg": [
            "la web se colgó al pagar y no sé si se hizo el pedido",
            "la app se cierra sola al abrir el carrito",
            "el buscador de la web no encuentra nada",
            "no me dejaba pagar con tarjeta",
        ],
        "neu": ["la web está bien"],
    },
    "tienda": {
        "pos": ["la tienda está muy ordenada y limpia", "hay mucha variedad de modelos"],
        "neg": [
            "la tienda estaba desordenada y sin precios en muchos productos",
            "no había stock del modelo anunciado",
            "el aparcamiento de la tienda es un caos",
        ],
        "neu": ["la tienda es como todas"],
    },
    "comunicacion": {
        "pos": ["me tuvieron informado en todo momento"],
        "neg": [
            "nadie me informó del estado del pedido",
            "me dieron información contradictoria por teléfono y en tienda",
            "no contestan a los correos",
        ],
        "neu": ["recibí los avisos habituales"],
    },
    "seguro": {
        "pos": [
            "el seguro me cubrió la reparación sin problemas",
            "dar el parte del siniestro fue muy sencillo",
        ],
        "neg": [
            "el seguro rechazó el siniestro por una letra pequeña",
            "la peritación tardó semanas",
            "me subieron el precio de la póliza sin avisar",
        ],
        "neu": ["el seguro cumple"],
    },
}

CANCELLATION = [
    "quiero darme de baja del seguro",
    "voy a cancelar el contrato de mantenimiento",
    "no pienso volver a comprar aquí, quiero darme de baja",
]

# A new problem that starts in the last weeks of the demo year: the emerging theme.
EMERGING = [
    "me cobraron un suplemento por subir la lavadora a un cuarto piso sin ascensor",
    "el transportista se negó a subir el frigorífico por la escalera sin ascensor",
    "en un piso sin ascensor no suben el electrodoméstico si no pagas un extra",
    "pagué un recargo por subir a un piso sin ascensor que nadie me había dicho",
]

ENGLISH = {
    "pos": [
        "Great service, the delivery guys were very careful.",
        "Friendly staff and a fair price, I will come back.",
    ],
    "neg": [
        "Delivery was three days late and nobody called me.",
        "The installer did not bring the right parts, very disappointing.",
    ],
    "neu": ["It was fine, nothing special."],
}

PORTUGUESE = {
    "pos": ["O atendimento foi muito bom, recomendo.", "Entrega rápida e instalação perfeita."],
    "neg": ["A entrega atrasou e ninguém me avisou.", "O técnico não trouxe as peças, péssimo."],
}

OPENERS = ["", "", "", "Pues ", "La verdad es que ", "Sinceramente, ", "En general ", "Bueno, "]
CONNECTORS = [". Además, ", ", y ", ". Eso sí, ", ". Por otro lado, ", " aunque "]
CLOSERS = {
    "promoter": ["", "", ".", ". Gracias.", ". Volveré seguro.", "!!", ". Un saludo."],
    "passive": ["", "", ".", ". Un saludo.", "."],
    "detractor": ["", "", ".", ". No volveré.", "!!", ". Espero que lo solucionen.", ". Fatal."],
}

# Which aspects customers talk about at each kind of touchpoint (by channel).
CHANNEL_ASPECTS = {
    "store": ["personal", "espera", "precio", "tienda", "producto"],
    "web": ["web", "precio", "comunicacion", "producto"],
    "app": ["web", "comunicacion"],
    "email": ["comunicacion", "factura"],
    "sms": ["comunicacion", "entrega"],
    "call_centre": ["espera", "personal", "comunicacion", "garantia"],
    "chat": ["espera", "web", "comunicacion"],
    "home": ["entrega", "instalacion", "personal"],
}


def _fold(text: str) -> str:
    return "".join(
        ch for ch in unicodedata.normalize("NFD", text) if unicodedata.category(ch) != "Mn"
    )


def _polarities(group: str, rng: random.Random) -> list[str]:
    if group == "detractor":
        return ["neg"] + rng.choice([[], ["neg"], ["pos"]])
    if group == "promoter":
        return ["pos"] + rng.choice([[], ["pos"], []])
    return rng.choice([["neu"], ["pos", "neg"], ["neg"], ["pos"]])


def write_comment(
    rng: random.Random, channel: str, touchpoint_name: str, group: str, emerging: bool
) -> str:
    """A plausible comment for an NPS group at a touchpoint; mostly Spanish."""
    roll, polarity = rng.random(), "neg" if group == "detractor" else "pos"
    if roll < 0.04:
        return rng.choice(ENGLISH[polarity])
    if roll < 0.05:
        return rng.choice(PORTUGUESE[polarity])
    aspects = CHANNEL_ASPECTS.get(channel, ["personal", "comunicacion"])
    if "seguro" in touchpoint_name.lower() or "siniestro" in touchpoint_name.lower():
        aspects = ["seguro", "comunicacion", "personal"]
    if "reparaci" in touchpoint_name.lower() or "técnico" in touchpoint_name.lower():
        aspects = ["garantia", "personal", "espera"]
    clauses = [rng.choice(ASPECTS[rng.choice(aspects)][p]) for p in _polarities(group, rng)]
    if emerging:
        clauses[0] = rng.choice(EMERGING)
    if group == "detractor" and rng.random() < 0.03:
        clauses.append(rng.choice(CANCELLATION))
    text = clauses[0]
    for clause in clauses[1:]:
        text += rng.choice(CONNECTORS) + clause
    text = rng.choice(OPENERS) + text + rng.choice(CLOSERS[group])
    text = text[0].upper() + text[1:]
    if rng.random() < 0.12:
        text = _fold(text).lower()
    return text
