"""One-row INSERTs on hot paths, with the statement built once per model and database.

``Model.objects.create`` rebuilds its INSERT statement for every row: on a public survey
submission, building the three statements (feedback record, response, answers) cost more CPU
than SQLite spent running them. :func:`insert` builds a model's statement once with Django's
own compiler and keeps it; each row then only runs the fields' ``pre_save`` and
``get_db_prep_save`` (the same conversions the compiler applies) and executes it.

:func:`insert_with_parent` writes a row and the row it belongs to (a survey response and its
feedback record) in one statement on PostgreSQL (``WITH parent AS (INSERT … RETURNING id)``), a
round trip less; elsewhere in two. :func:`insert_rows` writes several rows of one model with one
kept multi-row ``VALUES`` statement.

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
_ROW_STATEMENTS: dict[tuple[str, type[Model], int], str] = {}
# (database alias, parent model, child model, link field) → the two-row statement
_PAIR_STATEMENTS: dict[tuple[str, type[Model], type[Model], str], str] = {}


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


def _execute_insert(obj: M, using: str) -> M:
    connection = connections[using]
    meta = type(obj)._meta
    sql, fields, returning = _statement(obj, using)
    params = _row_params(obj, fields, connection)
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        if returning:
            (pk,) = cursor.fetchone()
        else:
            pk = connection.ops.last_insert_id(cursor, meta.db_table, str(meta.pk.column))
    return _stored(obj, pk, using)


def _stored(obj: M, pk: Any, using: str) -> M:
    setattr(obj, type(obj)._meta.pk.attname, pk)
    obj._state.adding = False
    obj._state.db = using
    return obj


def _check_new(obj: Model) -> None:
    meta = type(obj)._meta
    if meta.auto_field is None or getattr(obj, meta.pk.attname) is not None:
        raise ValueError(f"{type(obj).__name__}: insert() is for new rows with a generated key")


def insert(obj: M, using: str | None = None) -> M:
    """INSERT ``obj`` (a new instance whose primary key is the database's to give) and
    return it with its primary key set, as ``bulk_create([obj])`` would."""
    model = type(obj)
    using = using or router.db_for_write(model, instance=obj)
    _check_new(obj)
    _check_related(obj)
    if _needs_orm(obj):
        model._base_manager.using(using).bulk_create([obj])
        return obj
    return _execute_insert(obj, using)


def _values_group(sql: str) -> tuple[str, str]:
    """A one-row ``INSERT … VALUES (…)`` statement split before its values group."""
    head, marker, group = sql.rpartition(" VALUES ")
    if not marker or not group.startswith("(") or not group.endswith(")"):
        raise ValueError(f"not a one-row INSERT: {sql}")
    return head, group


def _pair_statement(parent: Model, child: Model, link: str, using: str) -> str:
    """``WITH parent AS (INSERT parent RETURNING id) INSERT child`` with the link column
    taking the new id; returns the child's key and the parent's."""
    key = (using, type(parent), type(child), link)
    if key not in _PAIR_STATEMENTS:
        connection = connections[using]
        quote = connection.ops.quote_name
        parent_sql, _parent_fields, _returning = _statement(parent, using)
        child_sql, child_fields, _returning = _statement(child, using)
        head, _group = _values_group(child_sql.rpartition(" RETURNING ")[0])
        link_field = type(child)._meta.get_field(link)
        parent_key = quote(str(type(parent)._meta.pk.column))
        values = ", ".join(
            f"(SELECT {parent_key} FROM parent)" if field is link_field else "%s"
            for field in child_fields
        )
        child_meta = type(child)._meta
        table, pk = quote(child_meta.db_table), quote(str(child_meta.pk.column))
        link_column = quote(str(getattr(link_field, "column", link)))
        _PAIR_STATEMENTS[key] = (
            f"WITH parent AS ({parent_sql}) "
            f"{head} VALUES ({values}) RETURNING {table}.{pk}, {table}.{link_column}"
        )
    return _PAIR_STATEMENTS[key]


def insert_with_parent(parent: Model, child: M, link: str, using: str | None = None) -> M:
    """INSERT ``parent``, then ``child`` with its foreign key ``link`` pointing at it; both new
    rows with generated keys. One statement on PostgreSQL (the parent's key comes back with the
    child's), two elsewhere or where a value needs the ORM. Returns ``child``."""
    using = using or router.db_for_write(type(child), instance=child)
    connection = connections[using]
    pair = connection.vendor == "postgresql" and not (_needs_orm(parent) or _needs_orm(child))
    if not pair:
        setattr(child, link, insert(parent, using))
        return insert(child, using)
    _check_new(parent)
    _check_new(child)
    _check_related(parent)
    _check_related(child)  # before the link is set: its parent has no key yet
    link_field = type(child)._meta.get_field(link)
    sql = _pair_statement(parent, child, link, using)
    _parent_sql, parent_fields, _returning = _statement(parent, using)
    _child_sql, child_fields, _returning = _statement(child, using)
    child_values = [field for field in child_fields if field is not link_field]
    params = _row_params(parent, parent_fields, connection)
    params += _row_params(child, child_values, connection)
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        child_pk, parent_pk = cursor.fetchone()
    setattr(child, link, _stored(parent, parent_pk, using))
    return _stored(child, child_pk, using)


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
        # The one-row statement's values group, repeated: the same placeholders and
        # conversions as the ORM's, on every database (PostgreSQL's bulk_create sends
        # columns of values through UNNEST instead, which costs more to build).
        query = InsertQuery(model)
        query.insert_values(fields, [objs[0]])
        ((built, _values),) = query.get_compiler(using=using).as_sql()
        head, group = _values_group(built)
        _ROW_STATEMENTS[key] = f"{head} VALUES {', '.join([group] * len(objs))}"
    sql = _ROW_STATEMENTS[key]
    params = []
    for obj in objs:
        _check_related(obj)
        params += _row_params(obj, fields, connection)
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
    for obj in objs:
        obj._state.adding = False
        obj._state.db = using
