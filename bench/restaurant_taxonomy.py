"""Hand-written restaurant taxonomy (SemEval-2016 ABSA categories) in Pulso's rule format.

Written from domain knowledge, not learned from the data; used to measure the rule engine.
"""

from __future__ import annotations

from typing import Any

_FOOD = (
    "comida OR plato* OR carne* OR pescado* OR marisco* OR postre* OR entrante* OR arroz OR "
    "paella OR tapa* OR racion* OR pizza* OR pasta OR ensalada* OR sushi OR cocina OR "
    "croqueta* OR jamon OR queso* OR solomillo OR bacalao OR pulpo OR calamar* OR gamba* OR "
    "langostino* OR hamburguesa* OR cordero OR cochinillo OR tarta* OR helado* OR pan OR "
    "sabor* OR guiso* OR sopa OR verdura* OR menu OR degustacion OR cocinero* OR chef OR "
    "delicios* OR sabros* OR exquisit* OR rico OR rica OR ricos OR ricas OR buenisim* OR "
    'elaborad* OR "punto de la carne" OR fresco OR fresca OR frescos OR frescas OR cena OR '
    "almuerzo OR desayuno OR comer OR comimos OR probamos OR producto*"
)
_DRINK = (
    "vino* OR bebida* OR cerveza* OR copa* OR coctel* OR cocktail* OR cafe OR refresco* OR "
    "sangria OR cava OR champan OR licor* OR chupito* OR agua OR bodega"
)
_PRICE = (
    "precio* OR caro OR cara OR caros OR caras OR barato* OR barata* OR economic* OR euros OR "
    'pagar OR pagamos OR cuenta OR factura OR "relacion calidad precio" OR "calidad precio" '
    "OR asequible* OR carisim*"
)
_OPTIONS = (
    "variedad OR carta OR opciones OR cantidad* OR abundante* OR escas* OR racion* OR "
    "raciones OR presentacion OR original* OR innovador* OR tradicional* OR surtido OR "
    "vegetarian* OR eleccion OR generos* OR porcion*"
)

RESTAURANT_TAXONOMY: list[dict[str, Any]] = [
    {"slug": "FOOD#QUALITY", "rules": {"es": f"({_FOOD}) AND NOT (({_PRICE}) NEAR/4 ({_FOOD}))"}},
    {"slug": "FOOD#STYLE_OPTIONS", "rules": {"es": f"({_OPTIONS}) NEAR/6 ({_FOOD} OR carta)"}},
    {"slug": "FOOD#PRICES", "rules": {"es": f"({_PRICE}) NEAR/5 ({_FOOD})"}},
    {"slug": "DRINKS#QUALITY", "rules": {"es": _DRINK}},
    {
        "slug": "DRINKS#STYLE_OPTIONS",
        "rules": {"es": f'"carta de vinos" OR (({_OPTIONS}) NEAR/4 ({_DRINK}))'},
    },
    {"slug": "DRINKS#PRICES", "rules": {"es": f"({_PRICE}) NEAR/4 ({_DRINK})"}},
    {
        "slug": "SERVICE#GENERAL",
        "rules": {
            "es": (
                "servicio OR camarer* OR personal OR atencion OR atendi* OR trato OR atent* OR "
                "amabl* OR simpati* OR profesional* OR encargad* OR dueno* OR duena OR jefe OR "
                'maitre OR sumiller OR servicial* OR "nos atendio" OR '
                "esperar OR espera OR lent* OR "
                "rapid* OR tardaron OR antipatic* OR borde OR educad* OR recomendaron OR aconsej*"
            )
        },
    },
    {
        "slug": "AMBIENCE#GENERAL",
        "rules": {
            "es": (
                "ambiente OR decoracion OR decorad* OR acogedor* OR musica OR ruido* OR ruidos* OR "
                "terraza OR salon OR comedor OR espacio OR luz OR "
                "iluminacion OR mesas OR sillas OR "
                "romantic* OR agradable OR tranquil* OR bonito OR "
                "precioso OR encanto OR estetica OR "
                "interior* OR limpi* OR sucio OR calor OR frio"
            )
        },
    },
    {
        "slug": "LOCATION#GENERAL",
        "rules": {
            "es": (
                "ubicacion OR ubicado OR situado OR situacion OR "
                "vistas OR zona OR barrio OR centrico OR "
                'aparcar OR aparcamiento OR "en pleno" OR calle OR playa OR puerto'
            )
        },
    },
    {
        "slug": "RESTAURANT#PRICES",
        "rules": {"es": f"({_PRICE}) AND NOT (({_PRICE}) NEAR/5 ({_FOOD} OR {_DRINK}))"},
    },
    {
        "slug": "RESTAURANT#MISCELLANEOUS",
        "rules": {
            "es": (
                "reserva* OR reservar OR horario* OR ninos OR grupo* OR celebrar OR celebracion OR "
                "cumpleanos OR aniversario OR perros OR accesib*"
            )
        },
    },
    {
        "slug": "RESTAURANT#GENERAL",
        "rules": {
            "es": (
                "restaurante* OR sitio OR lugar OR local OR recomiendo OR "
                "recomendable OR volver* OR "
                "volvere* OR repetir* OR repetiremos OR visita* OR experiencia OR casa OR "
                '"sin duda" OR imprescindible OR decepcion* OR "no vuelvo"'
            )
        },
    },
]
