"""What a batch write reports: how many rows were created and updated, and each rejected row
with its index and reasons (the rest of a batch is stored whatever some rows say)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any


@dataclass
class BatchResult:
    """The outcome of one batch: counts, and each rejected item with its index and reasons."""

    created: int = 0
    updated: int = 0
    rejected: list[dict[str, Any]] = field(default_factory=list)

    @property
    def accepted(self) -> int:
        return self.created + self.updated

    def reject(self, index: int, errors: Mapping[str, str]) -> None:
        self.rejected.append({"index": index, "errors": dict(errors)})

    def as_dict(self) -> dict[str, Any]:
        return {
            "accepted": self.accepted,
            "created": self.created,
            "updated": self.updated,
            "rejected": sorted(self.rejected, key=lambda r: r["index"]),
        }
