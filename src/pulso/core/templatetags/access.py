"""``{% load access %}``: ``{% if user|can:"surveys.change_survey" %}`` and, for one object,
``{% if user|can_on:survey|can:"surveys.change_survey" %}``."""

from __future__ import annotations

from typing import NamedTuple

from django import template
from django.db import models

from pulso.core import access

register = template.Library()


class _OnObject(NamedTuple):
    user: access.AnyUser
    obj: models.Model | None


@register.filter
def can_on(user: access.AnyUser, obj: models.Model | None) -> _OnObject:
    """The user, about to be asked about ``obj`` by the ``can`` filter."""
    return _OnObject(user, obj)


@register.filter
def can(subject: access.AnyUser | _OnObject, action: str) -> bool:
    """May the user do ``action`` (on the object given with ``can_on``, else anywhere)?"""
    if isinstance(subject, _OnObject):
        return access.can(subject.user, action, subject.obj)
    return access.can(subject, action)
