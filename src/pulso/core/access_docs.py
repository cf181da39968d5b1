"""The role × action table of the access policy as Markdown (``pulso access_table``)."""

from __future__ import annotations

from django.utils import translation

from pulso.core import access

HEADER = """# Who may do what

Generated from `pulso/core/access.py` by `pulso access_table --write docs/access.md`; a test
checks that this file matches the code.

A role held on an org unit grants its actions on that unit and every unit below it. Objects
without a unit are company-wide: acting on them needs the role at the company root, except the
reads marked *any unit*, which a role on any unit grants. A case's owner may do on it what their
role lets them do anywhere, and so may an audit visit's assigned auditor: auditors and mystery
shoppers hold the agent role (on the units they visit, or on any unit for the visits assigned to
them). Superusers may do everything. Roles are held through memberships,
added by an admin or given at each single sign-on login by the rules described in
[identity.md](identity.md).
"""


def _scope(action: access.Action) -> str:
    if action.name in access.COMPANY_WIDE_READS:
        if action.company_wide:
            return "company-wide, read from any unit"
        return "unit subtree; company-wide ones from any unit"
    return "company-wide (root)" if action.company_wide else "unit subtree"


def render_markdown() -> str:
    """The table, in English, one row per action."""
    roles = list(access.ROLE_ACTIONS)
    lines = [HEADER, f"| action | what it allows | where | {' | '.join(roles)} |"]
    lines.append("|" + "---|" * (3 + len(roles)))
    with translation.override("en"):
        for action, granted in access.grant_table():
            marks = " | ".join("✓" if granted[role] else "" for role in roles)
            lines.append(f"| `{action.name}` | {action.label} | {_scope(action)} | {marks} |")
    return "\n".join(lines) + "\n"
