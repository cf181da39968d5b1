"""Demo organisation: ElectroHogar, ~40 stores in 5 regions, contact centre, online shop."""

from __future__ import annotations

import random
from typing import Any

from django.contrib.auth import get_user_model

from pulso.accounts.models import Membership, OrgUnit, Role

COMPANY = ("ElectroHogar", "electrohogar")

# A store whose manager's post is vacant: nobody there handles cases, so its region does.
STORE_WITHOUT_MANAGER = "Alcorcón"
REGIONS: dict[str, list[str]] = {
    "Centro": [
        "Madrid Castellana",
        "Madrid Goya",
        "Alcalá de Henares",
        "Getafe",
        "Alcorcón",
        "Toledo",
        "Guadalajara",
        "Valladolid",
        "Salamanca",
    ],
    "Cataluña y Aragón": [
        "Barcelona Diagonal",
        "Barcelona Sants",
        "L'Hospitalet",
        "Badalona",
        "Sabadell",
        "Girona",
        "Tarragona",
        "Zaragoza",
    ],
    "Andalucía": [
        "Sevilla Nervión",
        "Sevilla Los Remedios",
        "Málaga Centro",
        "Marbella",
        "Granada",
        "Córdoba",
        "Cádiz",
        "Almería",
    ],
    "Levante": [
        "Valencia Centro",
        "Valencia Campanar",
        "Alicante",
        "Elche",
        "Castellón",
        "Murcia",
        "Cartagena",
    ],
    "Norte": [
        "Bilbao",
        "San Sebastián",
        "Vitoria",
        "Santander",
        "Oviedo",
        "Gijón",
        "A Coruña",
        "Vigo",
    ],
}

DEPARTMENTS = [
    ("Atención al cliente", "contact_centre", "contact-centre"),
    ("Tienda online", "online", "online-shop"),
    ("Logística y entregas", "department", "logistics"),
    ("Instalaciones", "department", "installations"),
    ("Servicio técnico", "department", "technical-service"),
    ("Seguros", "department", "insurance"),
    ("Experiencia de cliente", "department", "cx"),
]

FIRST_NAMES = [
    "Lucía",
    "Hugo",
    "Martina",
    "Mateo",
    "Sofía",
    "Leo",
    "Paula",
    "Daniel",
    "Carmen",
    "Javier",
    "Elena",
    "Pablo",
    "Marta",
    "Álvaro",
    "Laura",
    "Diego",
    "Sara",
    "Adrián",
]
LAST_NAMES = [
    "García",
    "Fernández",
    "González",
    "Rodríguez",
    "López",
    "Martínez",
    "Sánchez",
    "Pérez",
    "Gómez",
    "Martín",
    "Jiménez",
    "Ruiz",
    "Hernández",
    "Díaz",
    "Moreno",
]


def _slug(text: str) -> str:
    from django.utils.text import slugify

    return slugify(text.replace("'", " "))


def _person(rng: random.Random, username: str) -> Any:
    user_model = get_user_model()
    user, created = user_model.objects.get_or_create(
        username=username,
        defaults={
            "first_name": rng.choice(FIRST_NAMES),
            "last_name": rng.choice(LAST_NAMES),
            "email": f"{username}@electrohogar.example",
        },
    )
    if created:
        user.set_unusable_password()
        user.save(update_fields=["password"])
    return user


def _unit(name: str, code: str, kind: str, parent: OrgUnit | None, city: str = "") -> OrgUnit:
    unit, _ = OrgUnit.objects.get_or_create(
        code=code, defaults={"name": name, "kind": kind, "parent": parent, "city": city}
    )
    return unit


def _staff(rng: random.Random, unit: OrgUnit, role: str, username: str, title: str) -> None:
    Membership.objects.get_or_create(
        user=_person(rng, username), unit=unit, defaults={"role": role, "job_title": title}
    )


def build(rng: random.Random, progress: Any) -> None:
    company = _unit(COMPANY[0], COMPANY[1], OrgUnit.Kind.COMPANY, None, "Madrid")
    total = sum(len(stores) for stores in REGIONS.values()) + len(DEPARTMENTS)
    tick = progress("Organisation", total)
    _staff(rng, company, Role.CX_ANALYST, "ana.cx", "Analista de experiencia de cliente")
    for name, kind, code in DEPARTMENTS:
        unit = _unit(name, code, kind, company)
        _staff(rng, unit, Role.UNIT_MANAGER, f"resp.{code}", f"Responsable de {name.lower()}")
        if kind == "contact_centre":
            for n in range(1, 4):
                _staff(rng, unit, Role.AGENT, f"agente{n}.{code}", "Agente")
        tick(1)
    for region_name, stores in REGIONS.items():
        region = _unit(f"Región {region_name}", f"region-{_slug(region_name)}", "region", company)
        _staff(rng, region, Role.UNIT_MANAGER, f"dir.{_slug(region_name)}", "Director regional")
        for store_name in stores:
            code = f"tienda-{_slug(store_name)}"
            store = _unit(f"Tienda {store_name}", code, "store", region, store_name.split(" ")[0])
            if store_name != STORE_WITHOUT_MANAGER:  # its cases go to its region
                _staff(rng, store, Role.UNIT_MANAGER, f"enc.{code[7:]}", "Encargado de tienda")
            tick(1)
