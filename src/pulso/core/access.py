"""The access policy: who may do which action, on which part of the organisation.

A *grant* is a role held on an org unit (today: a membership; later: sharing, SSO groups). A role
gives the actions listed in :data:`ROLE_ACTIONS`; holding it on a unit gives those actions on that
unit's subtree only. Objects without a unit are company-wide: acting on them needs the grant at the
root, except the reads in :data:`COMPANY_WIDE_READS`, which any grant allows.

``can(user, action, obj_or_unit)`` answers for one object (a django-rules permission per action);
``restrict(queryset, user, action)`` filters a queryset the same way, in SQL. This module imports
no domain app: units are read through ``path`` attributes and grants come from providers that
apps register (``accounts`` registers memberships).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import wraps
from typing import TYPE_CHECKING, Any, ClassVar, NamedTuple, Self, TypeVar, cast

import rules
from django.contrib.auth.decorators import login_required
from django.contrib.auth.models import AbstractBaseUser, AnonymousUser, User
from django.core.exceptions import PermissionDenied
from django.db import models
from django.db.models import Q
from django.http import HttpRequest, HttpResponseBase
from django.shortcuts import get_object_or_404
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

if TYPE_CHECKING:
    from django.db.models.query import QuerySet

# A person signed in (Pulso uses Django's user model), and anyone making a request.
AnyUser = User | AnonymousUser


def person(user: AnyUser) -> User:
    """The signed-in person making a request (in views that require a login)."""
    if not isinstance(user, User) or not user.is_authenticated:
        raise PermissionDenied
    return user


def signed_in(user: AnyUser | None) -> User | None:
    """The person behind ``user`` when signed in, else None (for "who did it" columns)."""
    return user if isinstance(user, User) and user.is_authenticated else None


_Q = TypeVar("_Q", bound="QuerySet[Any]")


class Grant(NamedTuple):
    """A role held on the subtree of the unit whose materialised path is ``path``."""

    role: str
    path: str


@dataclass(frozen=True)
class Action:
    name: str
    label: str | Promise
    # Objects of this action never belong to a unit (journeys, topics, rules...).
    company_wide: bool = False


ACTIONS: dict[str, Action] = {
    action.name: action
    for action in [
        Action("accounts.view_orgunit", _("See org units")),
        Action("journeys.view_journey", _("See journeys"), company_wide=True),
        Action("journeys.change_journey", _("Edit journeys"), company_wide=True),
        Action("customers.view_customer", _("See customers"), company_wide=True),
        Action("customers.change_customer", _("Import and edit customers"), company_wide=True),
        Action(
            "customers.view_personal_data",
            _("See customers' contact details and the personal details in their comments"),
        ),
        Action("customers.view_customeraction", _("See customers' purchases and other actions")),
        Action("customers.add_customeraction", _("Record and import customers' actions")),
        Action("surveys.view_survey", _("See surveys")),
        Action("surveys.change_survey", _("Create, edit, publish and close surveys")),
        Action("surveys.view_response", _("See survey responses")),
        Action("surveys.add_response", _("Record responses through the API")),
        Action("surveys.import_responses", _("Import survey history")),
        Action("surveys.view_invitation", _("See invitations")),
        Action("surveys.send_invitation", _("Invite customers, mark bounces")),
        Action("feedback.view_feedback", _("See unsolicited feedback")),
        Action("feedback.import_feedback", _("Add and import unsolicited feedback")),
        Action("audits.view_visit", _("See audit and mystery-shopping visits and their scores")),
        Action(
            "audits.record_visit",
            _("Record audit visits: those assigned to you, or to nobody"),
        ),
        Action("audits.plan_visit", _("Plan audit visits and assign auditors")),
        Action("metrics.view_counts", _("See dashboard figures")),
        Action("benchmarks.view_reference", _("See sector reference values"), company_wide=True),
        Action(
            "benchmarks.change_reference",
            _("Import and delete sector reference values"),
            company_wide=True,
        ),
        Action("textanalytics.view_textanalysis", _("See text analysis")),
        Action("textanalytics.view_topic", _("See topics and themes"), company_wide=True),
        Action("textanalytics.change_topic", _("Edit topics and examples"), company_wide=True),
        Action("textanalytics.run_analysis", _("Run analysis, retrain, review themes"), True),
        Action("loop.view_case", _("See cases")),
        Action("loop.work_case", _("Work on cases: status, notes, owner")),
        Action("loop.change_rule", _("See and edit rules, resend deliveries"), company_wide=True),
        Action("core.read_audit_log", _("Read and export the audit log"), company_wide=True),
        Action("design.view_archetype", _("See customer archetypes"), company_wide=True),
        Action("design.change_archetype", _("Find, name and edit archetypes"), True),
        Action("economics.view_economics", _("See CX economics: churn, retention, revenue"), True),
        Action("inbox.view_conversation", _("See inbox conversations")),
        Action("inbox.work_conversation", _("Answer, assign and close conversations")),
        Action("inbox.change_article", _("Write the assistant's knowledge base"), True),
        Action("reputation.view_mention", _("See brand mentions, reputation and share of voice")),
        Action(
            "reputation.change_settings",
            _("Manage review feeds, our brand and competitors"),
            company_wide=True,
        ),
        Action("initiatives.view_initiative", _("See improvement initiatives and pilots")),
        Action("initiatives.change_initiative", _("Create and edit initiatives and pilots")),
        Action("pulses.view_results", _("See employee pulse results (groups above the threshold)")),
        Action("pulses.change_pulse", _("Create employee pulses and issue their invitations")),
        Action("crisis.view_incident", _("See crisis incidents and the customers they affected")),
        Action(
            "crisis.manage_incident",
            _("Open and run crisis incidents, message the affected customers"),
            company_wide=True,
        ),
    ]
}

# Reads of company-wide objects that a grant on any unit allows (a store sees the company's
# journeys and surveys); changing company-wide objects always needs the grant at the root.
COMPANY_WIDE_READS: set[str] = {
    "journeys.view_journey",
    "customers.view_customer",
    "surveys.view_survey",
    "textanalytics.view_topic",
    "benchmarks.view_reference",  # published figures, the same for every unit
}

PERSONAL_DATA = "customers.view_personal_data"
# Reads every role has; personal data is only for those who contact customers.
_VIEWS = {name for name in ACTIONS if name.split(".")[1].startswith("view_")} - {PERSONAL_DATA}
_WORKER = _VIEWS | {
    PERSONAL_DATA,  # they contact customers
    "surveys.add_response",
    "feedback.import_feedback",
    "loop.work_case",
    "audits.record_visit",  # an auditor or mystery shopper holds the agent role
    "inbox.work_conversation",
}
# Only administrators read who did what (analysts edit, but do not watch their colleagues).
_ADMIN_ONLY = {"core.read_audit_log"}
_EDITOR = set(ACTIONS) - _ADMIN_ONLY

# The grants: role → actions. Data, so that later grant sources can add to it.
ROLE_ACTIONS: dict[str, set[str]] = {
    "admin": _EDITOR | _ADMIN_ONLY,
    "cx_analyst": set(_EDITOR),
    "unit_manager": set(_WORKER),
    "agent": set(_WORKER),
    "viewer": set(_VIEWS),
}

GrantProvider = Callable[[AbstractBaseUser], Iterable[Grant]]
_providers: list[GrantProvider] = []


def register_grant_provider(provider: GrantProvider) -> None:
    """Add a source of grants (called from an app's ``AppConfig.ready``)."""
    if provider not in _providers:
        _providers.append(provider)


def grants_of(user: AnyUser) -> list[Grant]:
    """The user's grants, read once per user object (one request)."""
    if not user.is_authenticated or not user.is_active:
        return []
    cached: list[Grant] | None = getattr(user, "_access_grants", None)
    if cached is None:
        assert isinstance(user, AbstractBaseUser)
        cached = [grant for provider in _providers for grant in provider(user)]
        user._access_grants = cached  # type: ignore[attr-defined]
    return cached


def _is_superuser(user: AnyUser) -> bool:
    return bool(user.is_active and getattr(user, "is_superuser", False))


def _is_root(path: str) -> bool:
    return path.count("/") == 2  # "/1/"


def _check(action: str) -> Action:
    if action not in ACTIONS:
        raise ValueError(f"Unknown action {action!r}: add it to pulso.core.access.ACTIONS.")
    return ACTIONS[action]


def roles_with(action: str) -> set[str]:
    """The roles that grant ``action``."""
    _check(action)
    return {role for role, actions in ROLE_ACTIONS.items() if action in actions}


def held_paths(user: AnyUser, action: str) -> list[str]:
    """Paths of the units on whose subtree the user may do ``action``."""
    _check(action)
    return [g.path for g in grants_of(user) if action in ROLE_ACTIONS.get(g.role, ())]


def paths_for(user: AnyUser, action: str) -> list[str] | None:
    """Path prefixes where ``action`` is allowed; ``None`` means everywhere."""
    if _is_superuser(user):
        return None
    paths = held_paths(user, action)
    return None if any(_is_root(p) for p in paths) else paths


def _may_company_wide(action: str, paths: list[str]) -> bool:
    return bool(paths) and (action in COMPANY_WIDE_READS or any(_is_root(p) for p in paths))


# Objects: where an object sits is read through its queryset's ``unit_lookup``.


def _scoping(model: type[models.Model]) -> type[RestrictedQuerySet] | None:
    queryset = type(model._default_manager.all())
    return queryset if issubclass(queryset, RestrictedQuerySet) else None


def _follow(obj: object, lookup: str) -> Any:
    for part in lookup.split("__"):
        if obj is None:
            return None
        obj = getattr(obj, part)
    return obj


def unit_path_of(obj: models.Model) -> str | None:
    """The path of the unit ``obj`` belongs to (an org unit is its own); None: company-wide."""
    scoping = _scoping(type(obj))
    for lookup in scoping.unit_lookups() if scoping else ():
        path = _follow(obj, lookup)
        if path:
            return str(path)
    return None


def _owns(user: AnyUser, obj: models.Model) -> bool:
    scoping = _scoping(type(obj))
    owner = scoping.owner_lookup if scoping else None
    return owner is not None and user.pk is not None and _follow(obj, f"{owner}_id") == user.pk


class _Company:
    """The company as a whole: the target of creating a company-wide object."""

    def __repr__(self) -> str:
        return "COMPANY"


COMPANY = _Company()
Target = models.Model | _Company | None


def _allowed(user: AnyUser, action: str, target: Target) -> bool:
    spec = _check(action)
    if _is_superuser(user):
        return True
    paths = held_paths(user, action)
    if not paths:
        return False
    if spec.company_wide:
        return _may_company_wide(action, paths)
    if target is None:
        return True
    if isinstance(target, _Company):
        return _may_company_wide(action, paths)
    scoping = _scoping(type(target))
    if scoping and scoping.owner_lookup and not scoping.unit_lookups():
        return _owns(user, target)  # a person's own rows (an import run): theirs only
    path = unit_path_of(target)
    if path is None:
        return _may_company_wide(action, paths) or _owns(user, target)
    return any(path.startswith(p) for p in paths) or _owns(user, target)


def _policy_predicate(action: str) -> rules.Predicate:
    def granted(user: AnyUser, target: Target = None) -> bool:
        return _allowed(user, action, target)

    return rules.predicate(granted, name=f"granted:{action}")


def _register_rules() -> None:
    for name in ACTIONS:
        rules.set_perm(name, _policy_predicate(name))


_register_rules()


def can(user: AnyUser, action: str, obj_or_unit: Target = None) -> bool:
    """May ``user`` do ``action`` on this object or unit, on ``COMPANY`` (company-wide), or, with
    none, anywhere at all?"""
    _check(action)
    return rules.has_perm(action, user, obj_or_unit)


def action_name(model: type[models.Model], action: str) -> str:
    """``"view"`` on Case is ``"loop.view_case"`` (or its queryset's ``view_action``); full
    names pass through."""
    if "." in action:
        return action
    scoping = _scoping(model)
    if action == "view" and scoping and scoping.view_action:
        return scoping.view_action
    return f"{model._meta.app_label}.{action}_{model._meta.model_name}"


def restrict(queryset: _Q, user: AnyUser, action: str = "view") -> _Q:
    """The rows of ``queryset`` on which ``user`` may do ``action``."""
    action = action_name(queryset.model, action)
    spec = _check(action)
    if _is_superuser(user):
        return queryset
    paths = held_paths(user, action)
    scoping = _scoping(queryset.model)
    lookups = scoping.unit_lookups() if scoping else ()
    if not paths:
        return queryset.none()
    if scoping and scoping.owner_lookup and not lookups:
        # A person's own rows (an import run): theirs only, whatever their units.
        return (
            queryset.filter(**{f"{scoping.owner_lookup}_id": user.pk})
            if user.pk
            else queryset.none()
        )
    if spec.company_wide or not lookups:
        return queryset if _may_company_wide(action, paths) else queryset.none()
    if any(_is_root(p) for p in paths):
        return queryset  # one company tree: its root covers every unit and company-wide rows
    condition = Q(pk__in=[])
    for lookup in lookups:
        for path in paths:
            condition |= Q(**{f"{lookup}__startswith": path})
    if action in COMPANY_WIDE_READS:
        condition |= Q(**{lookup: None for lookup in lookups})
    if scoping and scoping.owner_lookup and user.pk is not None:
        condition |= Q(**{f"{scoping.owner_lookup}_id": user.pk})
    return queryset.filter(condition)


class RestrictedQuerySet(models.QuerySet[Any]):
    """Rows attached to an org unit through ``unit_lookup`` (the unit's path)."""

    unit_lookup: ClassVar[str | tuple[str, ...]] = "org_unit__path"
    # A person the row belongs to (a case's owner) may do what they may do anywhere on it.
    owner_lookup: ClassVar[str | None] = None
    # What "view" means for these rows, when not "<app>.view_<model>".
    view_action: ClassVar[str | None] = None

    @classmethod
    def unit_lookups(cls) -> tuple[str, ...]:
        lookup = cls.unit_lookup
        return (lookup,) if isinstance(lookup, str) else lookup

    def restrict(self, user: AnyUser, action: str = "view") -> Self:
        return restrict(self, user, action)

    def visible_to(self, user: AnyUser) -> Self:
        """The rows the user may see: ``restrict(user, "view")``."""
        return self.restrict(user, "view")


def grant_table() -> list[tuple[Action, dict[str, bool]]]:
    """Every action with, per role, whether the role grants it (for the docs)."""
    return [
        (action, {role: action.name in actions for role, actions in ROLE_ACTIONS.items()})
        for action in ACTIONS.values()
    ]


View = TypeVar("View", bound=Callable[..., HttpResponseBase])


def action_required(action: str) -> Callable[[View], View]:
    """A view for people who may do ``action`` somewhere; others are sent to log in or get 403."""
    _check(action)

    def decorator(view: View) -> View:
        @wraps(view)
        @login_required
        def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
            if not can(request.user, action):
                raise PermissionDenied(
                    _("Your role does not allow this: %(action)s.")
                    % {"action": ACTIONS[action].label}
                )
            return view(request, *args, **kwargs)

        return cast(View, wrapper)

    return decorator


def get_object_or_404_for(queryset: _Q, user: AnyUser, action: str = "view", **lookup: Any) -> Any:
    """The object of ``queryset`` matching ``lookup`` if ``user`` may do ``action`` on it."""
    return get_object_or_404(restrict(queryset, user, action), **lookup)
