"""One-row INSERTs on hot paths, with the statement built once per model and database.

``Model.objects.create`` rebuilds its INSERT statement for every row: on a public survey
submission, building the three statements (feedback record, response, answers) cost more CPU
than SQLite spent running them. :func:`insert` builds a model's statement once with Django's
own compiler and keeps it; each row then only runs the fields' ``pre_save`` and
``get_db_prep_save`` (the same conversions the compiler applies) and executes it.

Like ``bulk_create``, it sends no ``pre_save``/``post_save`` signals and does not call the
model's ``save()``: use it only where the model's save rules are applied by the caller.
A value that is an expression or a database default falls back to the ORM.
"""

from __future__ import annotations

import functools
from typing import Any, TypeVar

from django.db import connections, router
from django.db.models import Field, Model
from django.db.models.sql.subqueries import InsertQuery

M = TypeVar("M", bound=Model)

# (database alias, model) → (statement, fields, whether it returns the primary key)
_STATEMENTS: dict[tuple[str, type[Model]], tuple[str, list[Field[Any, Any]], bool]] = {}
# (database alias, model, number of rows) → a multi-row statement without RETURNING
_ROW_STATEMENTS: dict[tuple[str, type[Model], int], str | None] = {}


@functools.cache
def _insert_fields(model: type[Model]) -> list[Field[Any, Any]]:
    meta = model._meta
    return [f for f in meta.concrete_fields if f is not meta.auto_field]


@functools.cache
def _kept(model: type[Model]) -> bool:
    """Whether a statement can be kept: no field writes its own placeholder SQL."""
    return not any(hasattr(field, "get_placeholder") for field in _insert_fields(model))


def _statement(obj: Model, using: str) -> tuple[str, list[Field[Any, Any]], bool]:
    """The statement for ``obj``'s model, built from ``obj`` (plain values only) once."""
    key = (using, type(obj))
    if key not in _STATEMENTS:
        connection = connections[using]
        meta = type(obj)._meta
        fields = _insert_fields(type(obj))
        query = InsertQuery(type(obj))
        query.insert_values(fields, [obj])
        compiler = query.get_compiler(using=using)
        returning = bool(connection.features.can_return_columns_from_insert)
        compiler.returning_fields = [meta.pk] if returning else None
        ((sql, _params),) = compiler.as_sql()
        _STATEMENTS[key] = (sql, fields, returning)
    return _STATEMENTS[key]


def _needs_orm(obj: Model) -> bool:
    """An expression or a database default among the values: only the ORM can write it."""
    if not _kept(type(obj)):
        return True
    return any(
        hasattr(getattr(obj, field.attname), "resolve_expression")
        for field in _insert_fields(type(obj))
    )


def _check_related(obj: Model) -> None:
    """What ``save()`` checks first: no related object left unsaved (ValueError)."""
    obj._prepare_related_fields_for_save(operation_name="insert")  # type: ignore[attr-defined]


def _row_params(obj: Model, fields: list[Field[Any, Any]], connection: Any) -> list[Any]:
    """The values the compiler would send: each field's pre_save, then its database form."""
    return [field.get_db_prep_save(field.pre_save(obj, True), connection) for field in fields]


def insert(obj: M, using: str | None = None) -> M:
    """INSERT ``obj`` (a new instance whose primary key is the database's to give) and
    return it with its primary key set, as ``bulk_create([obj])`` would."""
    model = type(obj)
    using = using or router.db_for_write(model, instance=obj)
    meta = model._meta
    if meta.auto_field is None or getattr(obj, meta.pk.attname) is not None:
        raise ValueError(f"{model.__name__}: insert() is for new rows with a generated key")
    _check_related(obj)
    if _needs_orm(obj):
        model._base_manager.using(using).bulk_create([obj])
        return obj
    connection = connections[using]
    sql, fields, returning = _statement(obj, using)
    params = _row_params(obj, fields, connection)
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        if returning:
            (pk,) = cursor.fetchone()
        else:
            pk = connection.ops.last_insert_id(cursor, meta.db_table, str(meta.pk.column))
    setattr(obj, meta.pk.attname, pk)
    obj._state.adding = False
    obj._state.db = using
    return obj


def insert_rows(objs: list[M], using: str | None = None) -> None:
    """INSERT new rows of one model in one statement, without reading their keys back
    (for rows nothing refers to afterwards, such as a response's answers)."""
    if not objs:
        return
    model = type(objs[0])
    using = using or router.db_for_write(model, instance=objs[0])
    connection = connections[using]
    fields = _insert_fields(model)
    too_many = len(objs) > connection.ops.bulk_batch_size(fields, objs)
    if too_many or any(_needs_orm(obj) for obj in objs):
        model._base_manager.using(using).bulk_create(objs)
        return
    key = (using, model, len(objs))
    if key not in _ROW_STATEMENTS:
        query = InsertQuery(model)
        query.insert_values(fields, list[Model](objs))
        ((built, values),) = query.get_compiler(using=using).as_sql()
        # Kept only where the values go row after row (PostgreSQL sends a column of values
        # per placeholder: UNNEST): elsewhere the ORM builds each statement.
        _ROW_STATEMENTS[key] = built if len(values) == len(objs) * len(fields) else None
    sql = _ROW_STATEMENTS[key]
    if sql is None:
        model._base_manager.using(using).bulk_create(objs)
        return
    params = []
    for obj in objs:
        _check_related(obj)
        params += _row_params(obj, fields, connection)
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
    for obj in objs:
        obj._state.adding = False
        obj._state.db = using
