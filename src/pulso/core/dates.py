"""Dates as survey tools and spreadsheets export them, read without guessing the day/month order.

``1/3/2020`` is 1 March in Spain and 3 January in the United States: such a date is read only
when the file's order is given (``dmy``, ``mdy`` or ``ymd``); without it :class:`AmbiguousDate`
is raised so that the whole file can be refused instead of stored wrong. A date that can be read
one way only (``25/1/2020``, ``2020-01-03``) needs no order, but must agree with the one given.
"""

from __future__ import annotations

import datetime as dt
import re
import zoneinfo

from django.utils import timezone
from django.utils.translation import gettext as _

DATE_ORDERS = ("dmy", "mdy", "ymd")

NUMERIC = re.compile(
    r"^(?P<a>\d{1,4})[/.\-](?P<b>\d{1,2})[/.\-](?P<c>\d{1,4})"
    r"(?:[ T,]+(?P<time>\d{1,2}:\d{2}(?::\d{2}(?:[.,]\d+)?)?)\s*(?P<half>[ap]\.?\s*m\.?)?)?"
    r"\s*(?P<zone>(?:GMT|UTC)\s*[+\-−]?\s*\d{0,2}(?::?\d{2})?|Z)?$",
    re.IGNORECASE,
)
ZONE = re.compile(r"^(?:GMT|UTC)\s*(?P<sign>[+\-−])?\s*(?P<h>\d{1,2})?(?::?(?P<m>\d{2}))?$", re.I)


class AmbiguousDate(ValueError):
    """A date whose day and month could be swapped, read without a date order."""


def _zone_info(name: str) -> dt.tzinfo | None:
    try:
        return zoneinfo.ZoneInfo(name) if name else None
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        return None


def _offset(text: str) -> dt.tzinfo | None:
    if text.upper() == "Z":
        return dt.UTC
    match = ZONE.match(text.strip())
    if not match:
        return None
    minutes = int(match.group("h") or 0) * 60 + int(match.group("m") or 0)
    sign = -1 if match.group("sign") in ("-", "−") else 1
    return dt.timezone(dt.timedelta(minutes=sign * minutes))


def _year(text: str) -> int:
    year = int(text)
    return year + 2000 if len(text) <= 2 else year


def _day_month_year(a: str, b: str, c: str, order: str, value: str) -> tuple[int, int, int]:
    if len(a) >= 3:  # a four-digit year first is year-first whatever the order says
        return int(c), int(b), int(a)
    first, second = int(a), int(b)
    if not order:
        if first <= 12 and second <= 12 and first != second:
            raise AmbiguousDate(
                _("“%(value)s” can be read day first or month first: give the date order")
                % {"value": value}
            )
        order = "mdy" if second > 12 else "dmy"
    if order == "mdy":
        return second, first, _year(c)
    if order == "ymd":
        return int(c), int(b), _year(a)
    return first, second, _year(c)


def _clock(text: str | None, half: str | None) -> tuple[int, int, int, int]:
    if not text:
        return 0, 0, 0, 0
    parts = re.split(r"[:.,]", text)
    hour, minute = int(parts[0]), int(parts[1])
    second = int(parts[2]) if len(parts) > 2 else 0
    micro = int((parts[3] + "000000")[:6]) if len(parts) > 3 else 0
    if half:
        if not 1 <= hour <= 12:
            raise ValueError
        hour = hour % 12 + (12 if half.lower().startswith("p") else 0)
    return hour, minute, second, micro


def parse_export_date(value: str, order: str = "", zone: str = "") -> dt.datetime | None:
    """An aware date-time from an export's cell (None when blank).

    ISO 8601 first; then numeric dates with an optional 12- or 24-hour time and an optional
    ``GMT+1``/``UTC`` suffix. Naive values are in ``zone`` (an IANA name the export gives) or
    the project's time zone. Raises :class:`AmbiguousDate` or ``ValueError`` (readable).
    """
    value = value.strip()
    if not value:
        return None
    try:
        parsed = dt.datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        parsed = _numeric(value, order)
    if timezone.is_naive(parsed):
        parsed = timezone.make_aware(parsed, _zone_info(zone) or timezone.get_default_timezone())
    return parsed


def _numeric(value: str, order: str) -> dt.datetime:
    match = NUMERIC.match(value)
    if not match:
        raise ValueError(_("“%(value)s” is not a date") % {"value": value})
    day, month, year = _day_month_year(match["a"], match["b"], match["c"], order, value)
    try:
        hour, minute, second, micro = _clock(match["time"], match["half"])
        parsed = dt.datetime(year, month, day, hour, minute, second, micro)  # noqa: DTZ001
    except ValueError:
        names = {"dmy": _("day/month/year"), "mdy": _("month/day/year"), "ymd": _("year/month/day")}
        raise ValueError(
            _("“%(value)s” is not a valid date in %(order)s order")
            % {"value": value, "order": names["ymd" if len(match["a"]) >= 3 else order or "dmy"]}
        ) from None
    zone = _offset(match["zone"]) if match["zone"] else None
    return parsed.replace(tzinfo=zone) if zone else parsed
