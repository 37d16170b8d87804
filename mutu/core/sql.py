"""The one module with database-specific SQL (docs/architecture.md: none anywhere else).

Everything here has a portable fallback that does the same through the ORM, so the test suite,
run on SQLite and on PostgreSQL, checks both paths against the same expectations.
"""

import functools
from collections.abc import Sequence
from typing import Any

from django.db import DEFAULT_DB_ALIAS, connections, transaction
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.models import BooleanField, CharField, Field, Model
from django.db.models.expressions import RawSQL
from django.db.models.sql import InsertQuery
from django.db.models.sql.compiler import SQLInsertCompiler

PARENT_CTE = "parent_row"


def insert_with_children(
    parent: Model, children: Sequence[Model], *, link: str, only_if: RawSQL | None = None
) -> bool:
    """INSERT a new `parent` row and its `children` (whose foreign key `link` points to it),
    all or nothing. Fields of the parent assigned an expression are read back, as save() does.
    With `only_if` (a condition such as row_exists()), the same statement that inserts the
    parent checks it, and nothing is stored when it is false: returns whether rows were stored.

    PostgreSQL: one statement, a data-modifying WITH; a single statement is atomic on its own,
    so this is one round trip instead of four (BEGIN, two INSERTs, COMMIT). Its text does not
    depend on the number of children (they travel as arrays), so psycopg reuses its parsing.
    Elsewhere: the parent's INSERT … RETURNING (or save() without a condition) and
    bulk_create() in one transaction (no savepoint: inside an import the whole batch is one
    transaction anyway).
    """
    db = connections[DEFAULT_DB_ALIAS]  # the wrapper itself: each use of the proxy costs a lookup
    if db.vendor != "postgresql" or not children:
        with transaction.atomic(savepoint=False):
            if only_if is None:
                parent.save(force_insert=True)
            elif not _insert_parent_only(db, parent, only_if):
                return False
            for child in children:
                setattr(child, link, parent)
            if children:
                type(children[0])._default_manager.bulk_create(children)
        return True
    returning = _returning_fields(parent)
    compiler = _compiler(db, type(parent))
    parent_sql, parent_params = _parent_insert(db, compiler, parent, only_if)
    children_sql, children_params = _children_insert(db, children, link, parent)
    columns = ", ".join(_column(db, field) for field in returning)
    sql = (
        f"WITH {PARENT_CTE} AS ({parent_sql} RETURNING {columns}), "
        f"child_rows AS ({children_sql}) SELECT {columns} FROM {PARENT_CTE}"
    )
    with db.cursor() as cursor:
        cursor.execute(sql, (*parent_params, *children_params))
        row = cursor.fetchone()
    if row is None:  # the condition was false: the children joined no parent row either
        return False
    _assign(db, compiler, parent, returning, row)
    for child in children:
        setattr(child, link, parent)
    return True


def _insert_parent_only(db: BaseDatabaseWrapper, parent: Model, only_if: RawSQL) -> bool:
    returning = _returning_fields(parent)
    compiler = _compiler(db, type(parent))
    sql, params = _parent_insert(db, compiler, parent, only_if)
    columns = ", ".join(_column(db, field) for field in returning)
    with db.cursor() as cursor:
        cursor.execute(f"{sql} RETURNING {columns}", params)
        row = cursor.fetchone()
    if row is None:
        return False
    _assign(db, compiler, parent, returning, row)
    return True


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
    db: BaseDatabaseWrapper, compiler: SQLInsertCompiler, obj: Model, only_if: RawSQL | None
) -> tuple[str, list[Any]]:
    """One row's INSERT, values prepared as Django's own INSERT prepares them; with a
    condition, an INSERT … SELECT … WHERE that inserts nothing when it is false."""
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
    if only_if is None:
        return f"INSERT INTO {table} ({columns}) VALUES ({', '.join(placeholders)})", params
    condition, condition_params = only_if.as_sql(compiler, db)
    sql = f"INSERT INTO {table} ({columns}) SELECT {', '.join(placeholders)} WHERE {condition}"
    return sql, [*params, *condition_params]


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
    # Joined to the parent's row, not a scalar subquery: no parent row, no children.
    sql = (
        f"INSERT INTO {qn(model._meta.db_table)} ({columns}) "
        f"SELECT {PARENT_CTE}.{parent_pk}, child.* FROM {PARENT_CTE}, UNNEST({casts}) AS child"
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


def row_exists(model: type[Model], *, pk: Any, any_of: Sequence[dict[str, Any]]) -> RawSQL:
    """Whether the row `pk` of `model` matches one of `any_of` (each a dict of field values,
    `field__gt` for "greater than"), as a condition for insert_with_children or case_when.
    Written out like case_exists, and read by the statement that uses it: so the answer is the
    database's at that moment, never a cached copy's."""
    db = connections[DEFAULT_DB_ALIAS]
    shape = tuple(tuple(alternative) for alternative in any_of)
    params: list[Any] = [_field(model, model._meta.pk.name).get_db_prep_value(pk, db)]
    for alternative in any_of:
        for lookup, value in alternative.items():
            field = _field(model, lookup.removesuffix("__gt"))
            params.append(field.get_db_prep_value(value, db))
    return RawSQL(_row_exists_sql(db.alias, model, shape), params, output_field=BooleanField())


@functools.cache
def _row_exists_sql(alias: str, model: type[Model], shape: tuple[tuple[str, ...], ...]) -> str:
    db = connections[alias]
    alternatives = []
    for lookups in shape:
        terms = [
            f"{_column(db, _field(model, lookup.removesuffix('__gt')))} "
            f"{'>' if lookup.endswith('__gt') else '='} %s"
            for lookup in lookups
        ]
        alternatives.append(f"({' AND '.join(terms)})")
    table = db.ops.quote_name(model._meta.db_table)
    pk = _column(db, _field(model, model._meta.pk.name))
    return f"EXISTS (SELECT 1 FROM {table} WHERE {pk} = %s AND ({' OR '.join(alternatives)}))"


def case_when(
    condition: RawSQL, then: Any, otherwise: Any, output_field: Field[Any, Any] | None = None
) -> RawSQL:
    """`then` if `condition` holds, else `otherwise` (each a value or a RawSQL expression), as
    an expression for one column of an INSERT (portable SQL)."""
    sql, params = [], [*condition.params]
    for branch in (then, otherwise):
        if isinstance(branch, RawSQL):
            sql.append(branch.sql)
            params.extend(branch.params)
        else:
            sql.append("%s")
            params.append(branch)
    return RawSQL(
        f"CASE WHEN {condition.sql} THEN {sql[0]} ELSE {sql[1]} END",
        params,
        output_field=output_field or CharField(),
    )
