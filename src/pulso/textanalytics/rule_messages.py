"""Topic rules' syntax errors in the user's language (the parser speaks English to developers)."""

from __future__ import annotations

import re
from typing import Any

from django.utils.translation import gettext_lazy as _

from pulso.textanalytics.engine.topics import RuleSyntaxError, parse_rule

_REASONS: list[tuple[re.Pattern[str], Any]] = [
    (re.compile(r"^empty rule$"), _("the rule is empty")),
    (re.compile(r"^unterminated quoted phrase$"), _("a quoted phrase is not closed")),
    (re.compile(r"^empty quoted phrase$"), _("a quoted phrase is empty")),
    (re.compile(r"^unbalanced '\)'"), _("a ')' closes nothing")),
    (re.compile(r"^unbalanced '\('"), _("a '(' is never closed")),
    (re.compile(r"^rule ends where"), _("the rule ends where a word or '(' was expected")),
    (re.compile(r"^a rule needs at least one"), _("the rule needs at least one word without NOT")),
    (re.compile(r"^NEAR cannot take a NOT"), _("NEAR cannot be combined with NOT")),
    (re.compile(r"^unexpected (?P<t>.+) where"), _("%(t)s is not expected here")),
    (re.compile(r"^unexpected (?P<t>.+)$"), _("%(t)s is not expected here")),
    (
        re.compile(r"^invalid term (?P<t>[^:]+):"),
        _("%(t)s is not a valid word (letters and digits; * only at the end)"),
    ),
    (
        re.compile(r"^wildcard needs at least (?P<n>\d+)"),
        _("a prefix with * needs at least %(n)s letters"),
    ),
]


def explain(reason: str) -> str:
    """The parser's reason in the user's language (the raw reason when unknown)."""
    for pattern, message in _REASONS:
        match = pattern.search(reason)
        if match:
            return str(message) % match.groupdict() if match.groupdict() else str(message)
    return reason


def rule_error(rule: str) -> str | None:
    """A translated message for a rule that does not parse, else None."""
    try:
        parse_rule(rule)
    except RuleSyntaxError as error:
        return str(
            _("Syntax error at character %(position)s: %(reason)s")
            % {"position": error.position + 1, "reason": explain(error.reason)}
        )
    return None
