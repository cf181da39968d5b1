"""Who may see and manage customers (the people), as opposed to feedback data, which is
scoped by org unit with ``.visible_to(user)``."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _

from pulso.accounts.models import Role
from pulso.accounts.roles import has_any_role

CUSTOMER_MANAGERS = frozenset({Role.ADMIN, Role.CX_ANALYST})
View = Callable[..., HttpResponse]


def can_see_customers(user: Any) -> bool:
    """Anyone who belongs to the organisation; people without a unit see nothing."""
    if not getattr(user, "is_authenticated", False):
        return False
    return bool(user.is_superuser or user.memberships.exists())


def can_manage_customers(user: Any) -> bool:
    """Importing customers and sending invitations: administrators and CX analysts."""
    return has_any_role(user, CUSTOMER_MANAGERS)


def member_required(view: View) -> View:
    @wraps(view)
    @login_required
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not can_see_customers(request.user):
            raise PermissionDenied(_("You do not belong to any unit of the organisation."))
        return view(request, *args, **kwargs)

    return wrapper


def manager_required(view: View) -> View:
    @wraps(view)
    @login_required
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not can_manage_customers(request.user):
            raise PermissionDenied(_("Only administrators and CX analysts can do this."))
        return view(request, *args, **kwargs)

    return wrapper
