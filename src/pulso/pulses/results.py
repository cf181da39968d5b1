"""Pulse results per group, with small groups suppressed: the one way results leave Pulso.

The results page, the API and the CSV export all call :func:`pulse_results`. Groups are a
unit's whole subtree and, within it, each tenure band. Suppression is decided once for the
whole pulse, whoever asks (two people with different units could otherwise pool what they
see), by :func:`pulso.lib.disclosure.suppress`: no group below the threshold is published,
nor can one be recovered by subtracting published groups (a unit's total minus its visible
sub-units or bands). A person then sees the published groups of the units they may see.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Hashable
from dataclasses import dataclass, field

from django.conf import settings
from django.db.models import Count, Q, QuerySet, Sum

from pulso.accounts.models import OrgUnit
from pulso.core.access import AnyUser, paths_for, restrict
from pulso.lib.disclosure import Cell, suppress
from pulso.lib.scores import DETRACTOR_MAX, PROMOTER_MIN
from pulso.pulses.models import Pulse, PulseAnswer, PulseResponse, Tenure

VIEW = "pulses.view_results"
ALL = ""  # the tenure key of a unit's whole group

Atom = tuple[int, str]  # (unit id, tenure band) of the responses counted there


@dataclass
class Sums:
    n: int = 0
    promoters: int = 0
    detractors: int = 0
    item_sums: dict[int, int] = field(default_factory=dict)

    def add(self, other: Sums) -> None:
        self.n += other.n
        self.promoters += other.promoters
        self.detractors += other.detractors
        for item, total in other.item_sums.items():
            self.item_sums[item] = self.item_sums.get(item, 0) + total


@dataclass(frozen=True)
class GroupResult:
    """A unit's group (all of it, or one tenure band); figures are None when withheld."""

    unit: OrgUnit
    tenure: str
    tenure_label: str
    depth: int
    n: int | None
    enps: float | None
    engagement: float | None
    items: list[float | None]

    @property
    def suppressed(self) -> bool:
        return self.n is None


def pulses_visible_to(user: AnyUser) -> QuerySet[Pulse]:
    """Pulses of a unit the person sees, or of a unit above theirs (a store's manager sees
    the region's pulse, with the groups of their store only)."""
    paths = paths_for(user, VIEW)
    if paths is None:
        return Pulse.objects.all()
    above = {int(part) for path in paths for part in path.strip("/").split("/") if part}
    condition = Q(org_unit_id__in=above)
    for path in paths:
        condition |= Q(org_unit__path__startswith=path)
    return Pulse.objects.filter(condition)


def threshold() -> int:
    return int(settings.PULSO_PULSE_MIN_GROUP)


def _atom_sums(pulse: Pulse) -> dict[Atom, Sums]:
    atoms: dict[Atom, Sums] = defaultdict(Sums)
    responses = (
        PulseResponse.objects.filter(pulse=pulse)
        .values("unit_id", "tenure")
        .annotate(
            n=Count("pk"),
            promoters=Count("pk", filter=Q(enps__gte=PROMOTER_MIN)),
            detractors=Count("pk", filter=Q(enps__lte=DETRACTOR_MAX)),
        )
    )
    for row in responses:
        atom = (row["unit_id"], row["tenure"])
        atoms[atom].add(Sums(row["n"], row["promoters"], row["detractors"]))
    answers = (
        PulseAnswer.objects.filter(response__pulse=pulse)
        .values("response__unit_id", "response__tenure", "item_id")
        .annotate(total=Sum("score"))
    )
    for answer in answers:
        atom = (answer["response__unit_id"], answer["response__tenure"])
        atoms[atom].add(Sums(item_sums={answer["item_id"]: answer["total"]}))
    return atoms


def _cells(units: list[OrgUnit], atoms: dict[Atom, Sums]) -> list[Cell]:
    """Every group a page could show: each unit's subtree, whole and per tenure band."""
    paths = {u.pk: u.path for u in units}
    cells = []
    for unit in units:
        inside = frozenset(a for a in atoms if paths.get(a[0], "").startswith(unit.path))
        cells.append(Cell((unit.pk, ALL), inside, priority=1))
        for band in Tenure.values:
            cells.append(Cell((unit.pk, band), frozenset(a for a in inside if a[1] == band)))
    return cells


def published_groups(pulse: Pulse) -> tuple[list[OrgUnit], dict[Atom, Sums], set[Hashable]]:
    """The pulse's units, its sums per atom, and the keys of the groups that may be shown."""
    units = list(pulse.org_unit.subtree().order_by("path"))
    atoms = _atom_sums(pulse)
    counts: dict[Hashable, int] = {atom: sums.n for atom, sums in atoms.items()}
    return units, atoms, suppress(_cells(units, atoms), counts, threshold())


def pulse_results(pulse: Pulse, user: AnyUser) -> list[GroupResult]:
    """The groups of the units ``user`` may see, in tree order, small ones withheld."""
    units, atoms, published = published_groups(pulse)
    visible = set(restrict(OrgUnit.objects.all(), user, VIEW).values_list("pk", flat=True))
    item_ids = list(pulse.items.values_list("pk", flat=True))
    base_depth = pulse.org_unit.path.count("/")
    labels = dict(Tenure.choices)
    paths = {u.pk: u.path for u in units}
    results = []
    for unit in (u for u in units if u.pk in visible):
        for band in [ALL, *Tenure.values]:
            sums = Sums()
            if (unit.pk, band) in published:
                for (unit_id, tenure), atom_sums in atoms.items():
                    inside = paths.get(unit_id, "").startswith(unit.path)
                    if inside and band in (ALL, tenure):
                        sums.add(atom_sums)
            results.append(
                _result(unit, band, str(labels.get(band, "")), unit.path.count("/") - base_depth,
                        sums if (unit.pk, band) in published else None, item_ids)
            )  # fmt: skip
    return results


def _result(
    unit: OrgUnit, band: str, label: str, depth: int, sums: Sums | None, item_ids: list[int]
) -> GroupResult:
    if sums is None or sums.n == 0:
        return GroupResult(unit, band, label, depth, None, None, None, [None] * len(item_ids))
    items: list[float | None] = [sums.item_sums.get(item, 0) / sums.n for item in item_ids]
    return GroupResult(
        unit,
        band,
        label,
        depth,
        sums.n,
        100.0 * (sums.promoters - sums.detractors) / sums.n,
        sum(i for i in items if i is not None) / len(items) if items else None,
        items,
    )
