"""Small-group suppression for anonymous results, including differences of published cuts.

Results are published per *cell*: a group of respondents (a unit's subtree, its people of one
tenure band...). Every cell is a union of *atoms*, the finest groups (the people of one unit
and one band). Whatever is published of a cell (a count, a sum of scores, a mean with its
count) is a sum over its atoms, so anyone who sees several cells can add and subtract them:
the unit's total minus its visible sub-units is the group left over. A group is *disclosed*
when its atoms' indicator vector lies in the span of the published cells' vectors.

:func:`suppress` publishes only cells with at least ``threshold`` people (primary
suppression) and then, while some disclosed group has between 1 and ``threshold − 1`` people,
withholds one more cell from the combination that reveals it, the smallest one (complementary
suppression). The check is exact: it searches every union of indistinguishable atom classes
small enough to be below the threshold.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterator, Mapping, Sequence
from dataclasses import dataclass

import numpy as np

DEFAULT_THRESHOLD = 5
_EPS = 1e-7


@dataclass(frozen=True)
class Cell:
    """A publishable group: a key (how the page names it) and the atoms it is made of."""

    key: Hashable
    atoms: frozenset[Hashable]
    # Lower goes first when complementary suppression picks a cell to withhold among equals.
    priority: int = 0


def size(cell: Cell, counts: Mapping[Hashable, int]) -> int:
    return sum(counts.get(atom, 0) for atom in cell.atoms)


def suppress(
    cells: Sequence[Cell], counts: Mapping[Hashable, int], threshold: int = DEFAULT_THRESHOLD
) -> set[Hashable]:
    """The keys of the cells that may be published: none of them, alone or added and
    subtracted, reveals a group of 1 to ``threshold − 1`` people."""
    published = [c for c in cells if size(c, counts) >= threshold]
    while True:
        found = disclosed_group(published, counts, threshold)
        if found is None:
            return {cell.key for cell in published}
        published.remove(_cell_to_withhold(published, found, counts))


def disclosed_group(
    published: Sequence[Cell], counts: Mapping[Hashable, int], threshold: int
) -> frozenset[Hashable] | None:
    """A group of 1 to ``threshold − 1`` people that the published cells reveal, if any."""
    atoms = sorted({a for c in published for a in c.atoms if counts.get(a, 0) > 0}, key=repr)
    if not atoms:
        return None
    matrix = np.array([[a in c.atoms for a in atoms] for c in published], dtype=float)
    classes = _classes(matrix)  # atoms in exactly the same cells can only be seen together
    reduced = matrix[:, [members[0] for members in classes]]
    weights = [sum(counts[atoms[i]] for i in members) for members in classes]
    null = _null_space(reduced)  # a vector is in the row space iff it is orthogonal to this
    small = [j for j, w in enumerate(weights) if w < threshold]
    for group in _light_subsets(small, weights, threshold):
        if np.abs(null[group].sum(axis=0)).max(initial=0.0) < _EPS:
            return frozenset(atoms[i] for j in group for i in classes[j])
    return None


def _classes(matrix: np.ndarray) -> list[list[int]]:
    by_column: dict[bytes, list[int]] = {}
    for index in range(matrix.shape[1]):
        by_column.setdefault(matrix[:, index].tobytes(), []).append(index)
    return list(by_column.values())


def _null_space(matrix: np.ndarray) -> np.ndarray:
    """Rows: the classes; columns: a basis of the vectors orthogonal to every published cell."""
    _, singular, vt = np.linalg.svd(matrix)
    rank = int((singular > _EPS * max(matrix.shape)).sum())
    return vt[rank:].T


def _light_subsets(
    candidates: list[int], weights: list[int], threshold: int
) -> Iterator[list[int]]:
    """Every non-empty subset of ``candidates`` whose weights add up to less than
    ``threshold``, smallest subsets first."""

    def grow(start: int, chosen: list[int], total: int, length: int) -> Iterator[list[int]]:
        if len(chosen) == length:
            yield chosen
            return
        for position in range(start, len(candidates)):
            j = candidates[position]
            if total + weights[j] < threshold:
                yield from grow(position + 1, [*chosen, j], total + weights[j], length)

    for length in range(1, threshold):
        yield from grow(0, [], 0, length)


def _cell_to_withhold(
    published: list[Cell], group: frozenset[Hashable], counts: Mapping[Hashable, int]
) -> Cell:
    """The smallest cell of a combination of published cells that adds up to ``group``."""
    atoms = sorted({a for c in published for a in c.atoms} | group, key=repr)
    matrix = np.array([[a in c.atoms for a in atoms] for c in published], dtype=float)
    target = np.array([a in group for a in atoms], dtype=float)
    coefficients = np.linalg.lstsq(matrix.T, target, rcond=None)[0]
    used = [c for c, k in zip(published, coefficients, strict=True) if abs(k) > 1e-6]
    return min(used or published, key=lambda c: (c.priority, size(c, counts), repr(c.key)))
