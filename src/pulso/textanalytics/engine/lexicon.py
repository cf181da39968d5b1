"""Hand-written customer-experience sentiment lexicons (es, en, pt) for the cold-start analyser.

Written by the Pulso team from CX vocabulary (no corpus was used). Words are matched on their
accent-folded form and on their Snowball stem, so list one inflection per word. Multi-word
entries are phrases matched on consecutive tokens. Weights: +-1 mild, +-2 clear, +-3 strong.
"""

from __future__ import annotations

_ES = {
    3: "excelente excepcional espectacular maravilloso perfecto fantastico increible inmejorable "
    "encantado encanta encantador genial estupendo magnifico buenisimo sobresaliente "
    "recomendadisimo chapeau",
    2: "bueno buena bien amable atento rapido rapida eficaz eficiente recomiendo recomendable "
    "profesional agradable facil comodo limpio puntual satisfecho contento gracias agradecido "
    "resolvieron solucionaron encantadora simpatico cordial ideal precioso bonito feliz "
    "impecable calidad volvere repetiremos exquisito delicioso rico acierto "
    "util barato economico mejor felicidades enhorabuena",
    1: "correcto aceptable adecuado normalito cumple decente suficiente ok vale razonable",
    -1: "regular mejorable lento caro escaso justo tarde demora espera ruido ruidoso pequeno "
    "complicado confuso dificil",
    -2: "malo mala mal roto rota defectuoso sucio retraso retrasado problema queja "
    "reclamacion error fallo falla averiado incorrecto decepcion decepcionante decepcionado "
    "molesto insatisfecho grosero borde antipatico maleducado incompetente lentisimo "
    "caos desastroso perdida perdido equivocado abusivo carisimo cobraron devolucion "
    "cancelar baja incumplimiento olvidaron ignoraron frio sucia incomodo viejo deteriorado "
    "cutre peor empeorado nadie tardaron",
    -3: "pesimo horrible terrible desastre estafa fraude vergonzoso verguenza lamentable "
    "asqueroso nefasto penoso indignante inaceptable denunciar timo ladrones robo "
    "malisimo deplorable",
}
_ES_PHRASES = {
    3: ["lo recomiendo", "muy recomendable", "de diez", "sin duda volvere"],
    2: [
        "muy bien",
        "me gusto",
        "me gusta",
        "todo bien",
        "a tiempo",
        "buena atencion",
        "buen servicio",
        "buen trato",
        "volveria a",
        "sin problemas",
        "muy contento",
    ],
    -2: [
        "no funciona",
        "no llego",
        "no me llego",
        "no contestan",
        "no responden",
        "sin respuesta",
        "nadie contesta",
        "dejo mucho que desear",
        "deja mucho que desear",
        "no sirve",
        "no resolvieron",
        "mal servicio",
        "mala atencion",
        "una pena",
        "no recomiendo",
        "no lo recomiendo",
        "no volvere",
        "no volveria",
        "muy mal",
    ],
    -3: [
        "nunca llego",
        "nunca mas",
        "cobraron de mas",
        "me cobraron dos veces",
        "peor imposible",
        "no lo recomiendo para nada",
        "tomadura de pelo",
        "una verguenza",
    ],
}
_EN = {
    3: "excellent outstanding amazing awesome perfect fantastic wonderful superb brilliant "
    "exceptional love loved flawless incredible delighted",
    2: "good great nice friendly helpful fast quick efficient recommend recommended "
    "professional pleasant easy comfortable clean punctual satisfied happy thanks thank "
    "resolved solved polite kind best reliable courteous tasty delicious glad impressed "
    "smooth works worth",
    1: "ok okay fine decent acceptable adequate reasonable fair like liked enjoyed",
    -1: "slow expensive pricey late delay noisy small confusing complicated difficult average",
    -2: "bad poor broken defective dirty delayed problem issue complaint error fault "
    "faulty wrong disappointed disappointing disappointment annoying annoyed unhappy "
    "unsatisfied rude unhelpful incompetent lost overcharged refund cancel cancelled "
    "ignored cold uncomfortable old worse fail failed failure waste useless junk mess "
    "unreliable unprofessional crash crashes crashing",
    -3: "terrible horrible awful worst scam fraud disgusting shameful unacceptable pathetic "
    "appalling ripoff nightmare hate hated garbage crap",
}
_EN_PHRASES = {
    3: ["highly recommend", "would recommend", "above and beyond"],
    2: [
        "on time",
        "well done",
        "no problems",
        "no issues",
        "no complaints",
        "very good",
        "will be back",
        "come back",
    ],
    -2: [
        "does not work",
        "doesnt work",
        "didnt work",
        "not working",
        "never arrived",
        "no response",
        "not recommend",
        "never again",
        "rip off",
        "charged twice",
        "waste of money",
        "waste of time",
        "stopped working",
        "too long",
    ],
    -3: ["do not buy", "dont buy", "stay away", "worst ever"],
}
_PT = {
    3: "excelente otimo maravilhoso perfeito fantastico incrivel espetacular adorei",
    2: "bom boa bem gentil rapido rapida eficiente recomendo profissional agradavel facil "
    "limpo pontual satisfeito obrigado resolveram simpatico atencioso",
    1: "razoavel aceitavel ok",
    -1: "lento caro demora espera",
    -2: "ruim mau quebrado defeito sujo atraso atrasado problema reclamacao erro falha "
    "decepcionado insatisfeito grosseiro pior",
    -3: "pessimo horrivel terrivel pessima desastre golpe fraude vergonha absurdo lixo",
}
_PT_PHRASES = {
    -2: ["nao funciona", "nao chegou", "nunca chegou", "sem resposta", "nao recomendo"],
    2: ["muito bom", "muito bem", "no prazo", "gostei muito"],
}

WORDS: dict[str, dict[int, str]] = {"es": _ES, "en": _EN, "pt": _PT}
PHRASES: dict[str, dict[int, list[str]]] = {"es": _ES_PHRASES, "en": _EN_PHRASES, "pt": _PT_PHRASES}

INTENSIFIERS: dict[str, dict[str, float]] = {
    "es": {
        "muy": 1.5,
        "super": 1.6,
        "mucho": 1.4,
        "muchisimo": 1.8,
        "totalmente": 1.6,
        "realmente": 1.4,
        "bastante": 1.2,
        "demasiado": 1.4,
        "extremadamente": 1.8,
        "poco": 0.5,
        "algo": 0.6,
        "un": 1.0,
    },
    "en": {
        "very": 1.5,
        "really": 1.4,
        "so": 1.4,
        "extremely": 1.8,
        "super": 1.6,
        "totally": 1.6,
        "absolutely": 1.8,
        "too": 1.3,
        "quite": 1.2,
        "slightly": 0.5,
        "somewhat": 0.6,
        "bit": 0.6,
    },
    "pt": {"muito": 1.5, "super": 1.6, "bastante": 1.2, "pouco": 0.5, "demais": 1.4},
}
NEGATORS: dict[str, frozenset[str]] = {
    "es": frozenset("no nunca ni sin jamas tampoco nada nadie ningun ninguna".split()),
    "en": frozenset(
        "not never no nor without dont didnt doesnt isnt wasnt cant wont don didn doesn isn "
        "wasn aren weren couldn wouldn won".split()
    ),
    "pt": frozenset("nao nunca nem sem jamais nenhum nenhuma".split()),
}
CONTRASTS: dict[str, frozenset[str]] = {
    "es": frozenset(["pero", "aunque", "sino"]),
    "en": frozenset(["but", "although", "though", "however"]),
    "pt": frozenset(["mas", "porem", "embora"]),
}
