"""Small-group suppression, checked by an independent attacker who adds and subtracts cells."""

from __future__ import annotations

import itertools
import random

import numpy as np

from pulso.lib.disclosure import Cell, disclosed_group, suppress

K = 5


def tree_cells(children: dict[str, list[str]], bands: list[str]) -> list[Cell]:
    """Cells of a unit tree: each unit's subtree, whole and per band (atoms: (leaf, band))."""

    def leaves(unit: str) -> list[str]:
        below = children.get(unit, [])
        return [unit] if not below else [leaf for c in below for leaf in leaves(c)]

    cells = []
    for unit in {*children, *(c for cs in children.values() for c in cs)}:
        atoms = {(leaf, band) for leaf in leaves(unit) for band in bands}
        cells.append(Cell((unit, ""), frozenset(atoms), priority=1))
        cells += [Cell((unit, b), frozenset(a for a in atoms if a[1] == b)) for b in bands]
    return cells


def attacker_finds(cells: list[Cell], counts: dict, published: set) -> list[tuple]:
    """Every group of 1 to K − 1 people that sums and differences (coefficients −1, 0, 1) of
    up to four published cells single out."""
    shown = [c for c in cells if c.key in published]
    atoms = sorted({a for c in cells for a in c.atoms if counts.get(a, 0)})
    vectors = [np.array([a in c.atoms for a in atoms], dtype=int) for c in shown]
    found = []
    for size in range(1, min(4, len(shown)) + 1):
        for combo in itertools.combinations(range(len(shown)), size):
            for signs in itertools.product((1, -1), repeat=size):
                total = sum(s * vectors[i] for s, i in zip(signs, combo, strict=True))
                if set(np.unique(total)) <= {0, 1}:
                    people = sum(counts[a] for a, bit in zip(atoms, total, strict=True) if bit)
                    if 0 < people < K:
                        found.append(tuple(shown[i].key for i in combo))
    return found


def test_primary_suppression_hides_groups_below_the_threshold() -> None:
    cells = [Cell("a", frozenset({1})), Cell("b", frozenset({2}))]
    assert suppress(cells, {1: 4, 2: 5}, K) == {"b"}


def test_unit_total_minus_visible_sub_units_cannot_reveal_a_small_store() -> None:
    children = {"region": ["a", "b", "c"]}
    cells = tree_cells(children, [""])
    counts = {("a", ""): 7, ("b", ""): 6, ("c", ""): 2}
    naive = {c.key for c in cells if sum(counts.get(a, 0) for a in c.atoms) >= K}
    assert attacker_finds(cells, counts, naive)  # region − a − b = c, 2 people
    published = suppress(cells, counts, K)
    assert ("region", "") in published and ("c", "") not in published
    assert ("b", "") not in published  # the smallest store is withheld as well
    assert attacker_finds(cells, counts, published) == []


def test_a_band_cut_across_stores_cannot_reveal_a_small_group() -> None:
    # Store a: 6 new people; store b: 2 new and 4 old. Region's "new" (8) minus store a (6)
    # would reveal the 2 new people of store b.
    children = {"region": ["a", "b"]}
    cells = tree_cells(children, ["new", "old"])
    counts = {("a", "new"): 6, ("b", "new"): 2, ("b", "old"): 4}
    naive = {c.key for c in cells if sum(counts.get(a, 0) for a in c.atoms) >= K}
    assert attacker_finds(cells, counts, naive)
    published = suppress(cells, counts, K)
    assert attacker_finds(cells, counts, published) == []
    assert disclosed_group([c for c in cells if c.key in published], counts, K) is None
    assert ("region", "") in published


def test_random_organisations_leak_no_small_group() -> None:
    rng = random.Random(7)
    naive_leaks = 0
    for _ in range(25):
        stores = [f"s{i}" for i in range(rng.randint(2, 4))]
        split = rng.randint(1, len(stores))
        children = {"company": ["north", "south"], "north": stores[:split], "south": stores[split:]}
        if not children["south"]:
            children = {"company": stores}
        cells = tree_cells(children, ["new", "old"])
        counts = {(s, b): rng.choice([0, 1, 2, 3, 4, 6, 9]) for s in stores for b in ("new", "old")}
        naive = {c.key for c in cells if sum(counts.get(a, 0) for a in c.atoms) >= K}
        naive_leaks += bool(attacker_finds(cells, counts, naive))
        published = suppress(cells, counts, K)
        assert attacker_finds(cells, counts, published) == []
        for cell in cells:
            if cell.key in published:
                assert sum(counts.get(a, 0) for a in cell.atoms) >= K
    assert naive_leaks >= 5  # the organisations do test complementary suppression
