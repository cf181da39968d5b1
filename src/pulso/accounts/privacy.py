"""Personal data only for those who need it: contact details and the personal details inside
comments are shown whole to people who contact customers (``customers.view_personal_data``, on
the unit the feedback belongs to) and to the owner of a case about it; everyone else sees them
masked, in pages, exports and the API."""

from __future__ import annotations

from pulso.accounts.models import OrgUnit
from pulso.core.access import PERSONAL_DATA, AnyUser, paths_for
from pulso.lib.personal_data import mask, mask_contact


class PersonalData:
    """What one user may see of personal data (built once per request or export)."""

    def __init__(self, user: AnyUser) -> None:
        self.paths = paths_for(user, PERSONAL_DATA)  # None: everywhere
        self._unit_paths: dict[int, str] | None = None

    @property
    def anywhere(self) -> bool:
        """Whether the user contacts customers somewhere (customers are company-wide)."""
        return self.paths is None or bool(self.paths)

    def at_path(self, path: str | None) -> bool:
        if self.paths is None:
            return True
        return path is not None and any(path.startswith(p) for p in self.paths)

    def in_unit(self, unit_id: int | None) -> bool:
        if self.paths is None:
            return True
        if not self.paths or unit_id is None:
            return False
        if self._unit_paths is None:
            self._unit_paths = dict(OrgUnit.objects.values_list("pk", "path"))
        return self.at_path(self._unit_paths.get(unit_id))

    def text(self, text: str, *, unit_id: int | None = None, owned: bool = False) -> str:
        """A comment as this user may read it (whole where allowed, else masked)."""
        return text if owned or self.in_unit(unit_id) else mask(text)

    def text_at(self, text: str, path: str | None, *, owned: bool = False) -> str:
        return text if owned or self.at_path(path) else mask(text)

    def contact(self, value: str) -> str:
        """A customer's name, email or phone as this user may read it."""
        return value if self.anywhere else mask_contact(value)


def personal_data(user: AnyUser) -> PersonalData:
    """The user's :class:`PersonalData`, built once per user object (one request)."""
    cached: PersonalData | None = getattr(user, "_personal_data", None)
    if cached is None:
        cached = PersonalData(user)
        user._personal_data = cached  # type: ignore[union-attr]
    return cached
