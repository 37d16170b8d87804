"""The one module with database-specific SQL (ARCHITECTURE.md: none anywhere else).

Everything here has a portable fallback that does the same through the ORM, so the test suite,
run on SQLite and on PostgreSQL, checks both paths against the same expectations.
"""

import functools
from collections.abc import Sequence
from typing import Any

from django.db import DEFAULT_DB_ALIAS, connections, transaction
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.models import CharField, Field, Model
from django.db.models.expressions import RawSQL
from django.db.models.sql import InsertQuery
from django.db.models.sql.compiler import SQLInsertCompiler

PARENT_CTE = "parent_row"


def insert_with_children(parent: Model, children: Sequence[Model], *, link: str) -> None:
    """INSERT a new `parent` row and its `children` (whose foreign key `link` points to it),
    all or nothing. Fields of the parent assigned an expression are read back, as save() does.

    PostgreSQL: one statement, a data-modifying WITH; a single statement is atomic on its own,
    so this is one round trip instead of four (BEGIN, two INSERTs, COMMIT). Its text does not
    depend on the number of children (they travel as arrays), so psycopg reuses its parsing.
    Elsewhere: save() and bulk_create() in one transaction (no savepoint: inside an import the
    whole batch is one transaction anyway).
    """
    db = connections[DEFAULT_DB_ALIAS]  # the wrapper itself: each use of the proxy costs a lookup
    if db.vendor != "postgresql" or not children:
        with transaction.atomic(savepoint=False):
            parent.save(force_insert=True)
            for child in children:
                setattr(child, link, parent)
            if children:
                type(children[0])._default_manager.bulk_create(children)
        return
    returning = _returning_fields(parent)
    compiler = _compiler(db, type(parent))
    parent_sql, parent_params = _parent_insert(db, compiler, parent)
    children_sql, children_params = _children_insert(db, children, link, parent)
    columns = ", ".join(_column(db, field) for field in returning)
    sql = (
        f"WITH {PARENT_CTE} AS ({parent_sql} RETURNING {columns}), "
        f"child_rows AS ({children_sql}) SELECT {columns} FROM {PARENT_CTE}"
    )
    with db.cursor() as cursor:
        cursor.execute(sql, (*parent_params, *children_params))
        row = cursor.fetchone()
    _assign(db, compiler, parent, returning, row)
    for child in children:
        setattr(child, link, parent)


def _fields(model: type[Model]) -> list[Field[Any, Any]]:
    return [field for field in model._meta.concrete_fields if not field.primary_key]


def _field(model: type[Model], name: str) -> Field[Any, Any]:
    field = model._meta.get_field(name)
    assert isinstance(field, Field), f"{name} is not a column of {model.__name__}"
    return field


def _column(db: BaseDatabaseWrapper, field: Field[Any, Any]) -> str:
    return str(db.ops.quote_name(str(field.column)))


def _returning_fields(obj: Model) -> list[Field[Any, Any]]:
    """The primary key and every field given an expression, like Model._save_table."""
    expressions = [
        field
        for field in _fields(type(obj))
        if hasattr(getattr(obj, field.attname), "resolve_expression")
    ]
    return [_field(type(obj), obj._meta.pk.name), *expressions]


def _compiler(db: BaseDatabaseWrapper, model: type[Model]) -> SQLInsertCompiler:
    compiler: SQLInsertCompiler = InsertQuery(model).get_compiler(connection=db)
    return compiler


def _parent_insert(
    db: BaseDatabaseWrapper, compiler: SQLInsertCompiler, obj: Model
) -> tuple[str, list[Any]]:
    """One row's INSERT, values prepared as Django's own INSERT prepares them."""
    model = type(obj)
    fields = _fields(model)
    placeholders: list[str] = []
    params: list[Any] = []
    for field in fields:
        value = field.pre_save(obj, add=True)
        if hasattr(value, "resolve_expression"):
            resolved = value.resolve_expression(compiler.query, allow_joins=False, for_save=True)
            sql, expression_params = compiler.compile(resolved)
            placeholders.append(sql)
            params.extend(expression_params)
        else:
            placeholders.append("%s")
            params.append(field.get_db_prep_save(value, db))
    columns = ", ".join(_column(db, field) for field in fields)
    table = db.ops.quote_name(model._meta.db_table)
    return f"INSERT INTO {table} ({columns}) VALUES ({', '.join(placeholders)})", params


def _children_insert(
    db: BaseDatabaseWrapper, children: Sequence[Model], link: str, parent: Model
) -> tuple[str, list[Any]]:
    """The children's INSERT: the link from the parent's row, every other column as an array
    (one parameter per column, however many children)."""
    qn = db.ops.quote_name
    model = type(children[0])
    link_field = _field(model, link)
    others = [field for field in _fields(model) if field is not link_field]
    arrays = [
        [field.get_db_prep_save(field.pre_save(child, add=True), db) for child in children]
        for field in others
    ]
    casts = ", ".join(f"%s::{field.db_type(db)}[]" for field in others)
    columns = ", ".join(_column(db, field) for field in [link_field, *others])
    parent_pk = _column(db, _field(type(parent), parent._meta.pk.name))
    sql = (
        f"INSERT INTO {qn(model._meta.db_table)} ({columns}) "
        f"SELECT (SELECT {parent_pk} FROM {PARENT_CTE}), * FROM UNNEST({casts})"
    )
    return sql, arrays


def _assign(
    db: BaseDatabaseWrapper,
    compiler: SQLInsertCompiler,
    obj: Model,
    fields: list[Field[Any, Any]],
    row: Sequence[Any],
) -> None:
    columns = [field.get_col(obj._meta.db_table) for field in fields]
    converters = compiler.get_converters(columns)  # type: ignore[arg-type]
    if converters:
        row = next(iter(compiler.apply_converters([row], converters)))
    for field, value in zip(fields, row, strict=True):
        setattr(obj, field.attname, value)
    obj._state.adding = False
    obj._state.db = db.alias


def case_exists(
    model: type[Model], *, equal: dict[str, Any], since: tuple[str, Any], then: str, otherwise: str
) -> RawSQL:
    """`then` if a row of `model` has the `equal` field values and `since[0] >= since[1]`, else
    `otherwise`: an expression for one column of an INSERT (portable SQL).

    Written out rather than compiled from a QuerySet with Exists(): the ORM's compiler costs
    more than the INSERT it goes into, and the public form runs this on every submission.
    """
    db = connections[DEFAULT_DB_ALIAS]
    fields = [_field(model, name) for name in (*equal, since[0])]
    values = [*equal.values(), since[1]]
    params = [
        field.get_db_prep_value(value, db) for field, value in zip(fields, values, strict=True)
    ]
    sql = _case_exists_sql(db.alias, model, tuple(equal), since[0])
    return RawSQL(sql, (*params, then, otherwise), output_field=CharField())


@functools.cache
def _case_exists_sql(alias: str, model: type[Model], equal: tuple[str, ...], since: str) -> str:
    db = connections[alias]
    columns = [_column(db, _field(model, name)) for name in (*equal, since)]
    conditions = [f"{column} = %s" for column in columns[:-1]] + [f"{columns[-1]} >= %s"]
    table = db.ops.quote_name(model._meta.db_table)
    return (
        f"CASE WHEN EXISTS (SELECT 1 FROM {table} WHERE {' AND '.join(conditions)}) "
        "THEN %s ELSE %s END"
    )
