"""Statements built once and run with parameters: building a SQLAlchemy statement per call
costs several times more than running it, and the hot paths (issue, call) run many."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from typing import Any

from sqlalchemy import Connection
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import Dialect
from sqlalchemy.exc import DBAPIError, StatementError


def per_dialect(build: Callable[[Any], Any]) -> Callable[[Connection], Any]:
    """A statement that differs between SQLite and PostgreSQL (upserts), built once per dialect.
    ``build`` gets the dialect's ``insert`` construct."""

    @cache
    def for_dialect(name: str) -> Any:
        return build(postgresql.insert if name == "postgresql" else sqlite.insert)

    return lambda conn: for_dialect(conn.dialect.name)


@dataclass(frozen=True)
class _Compiled:
    sql: str
    names: tuple[str, ...]
    """Parameter names in the order the driver takes them (positional drivers) or all of them."""
    positional: bool
    convert: tuple[tuple[str, Callable[[Any], Any]], ...]
    """(name, bind processor) for the values Core would convert (dates, datetimes, booleans)."""
    fixed: Mapping[str, Any]
    """Values written in the statement itself (``status == 'waiting'``)."""


class Prepared:
    """A Core statement compiled once per dialect and run straight on the database driver.

    Running a compiled statement through SQLAlchemy still costs about 40 µs of Python per call
    (execution context, events, result wrapping), several times what SQLite takes to run a hot
    statement. A prepared statement is written in Core and its values are converted exactly as
    Core converts them, but it skips the rest. Rows come back as the driver's plain tuples, with
    no type conversion: use it for counters, inserts, updates and reads of plain columns. Driver
    errors are raised as SQLAlchemy's (``IntegrityError`` ...), as Core would raise them, and
    ``before/after_cursor_execute`` listeners (tracing, bench.profile_inprocess) still see each
    statement."""

    def __init__(self, statement: Any = None, *, upsert: Callable[[Any], Any] | None = None,
                 columns: Sequence[str] | None = None) -> None:
        """``statement``, or ``upsert``: a builder given the dialect's ``insert`` construct.
        ``columns``: for an INSERT, the columns given (default all of the table's)."""
        self._statement = statement
        self._upsert = upsert
        self._columns = list(columns) if columns is not None else None
        self._compiled: dict[str, _Compiled] = {}

    def _for(self, dialect: Dialect) -> _Compiled:
        compiled = self._compiled.get(dialect.name)
        if compiled is None:
            compiled = self._compiled[dialect.name] = self._compile(dialect)
        return compiled

    def _compile(self, dialect: Dialect) -> _Compiled:
        statement = self._statement
        if self._upsert is not None:
            statement = self._upsert(postgresql.insert if dialect.name == "postgresql" else sqlite.insert)
        core = statement.compile(dialect=dialect, column_keys=self._columns)
        names = tuple(core.positiontup) if core.positional else tuple(core.binds)
        convert = []
        fixed = {name: bind.effective_value for name, bind in core.binds.items() if not bind.required}
        for name, bind in core.binds.items():
            processor = bind.type.dialect_impl(dialect).bind_processor(dialect)
            if processor is not None:
                convert.append((name, processor))
        return _Compiled(core.string, names, bool(core.positional), tuple(convert), fixed)

    def _values(self, compiled: _Compiled, params: Mapping[str, Any]) -> Any:
        if compiled.fixed:
            params = {**compiled.fixed, **params}
        if compiled.convert:
            params = dict(params)
            for name, processor in compiled.convert:
                if name in params:
                    params[name] = processor(params[name])
        if compiled.positional:
            return tuple(params[name] for name in compiled.names)
        return params

    def run(self, conn: Connection, params: Mapping[str, Any]) -> int:
        """Run once; returns how many rows it changed."""
        cursor = self._execute(conn, params)
        try:
            return int(cursor.rowcount)
        finally:
            cursor.close()

    def one(self, conn: Connection, params: Mapping[str, Any]) -> tuple[Any, ...] | None:
        """Run once; the first row, or None."""
        cursor = self._execute(conn, params)
        try:
            return cursor.fetchone()
        finally:
            cursor.close()

    def all(self, conn: Connection, params: Mapping[str, Any]) -> list[tuple[Any, ...]]:
        cursor = self._execute(conn, params)
        try:
            return cursor.fetchall()
        finally:
            cursor.close()

    def run_many(self, conn: Connection, rows: Iterable[Mapping[str, Any]]) -> None:
        """Run once per row (one ``executemany``)."""
        compiled = self._for(conn.dialect)
        self._on_driver(conn, compiled, [self._values(compiled, row) for row in rows], many=True).close()

    def _execute(self, conn: Connection, params: Mapping[str, Any]) -> Any:
        compiled = self._for(conn.dialect)
        return self._on_driver(conn, compiled, self._values(compiled, params), many=False)

    @staticmethod
    def _on_driver(conn: Connection, compiled: Any, values: Any, many: bool) -> Any:
        """Run ``compiled`` on the driver's own cursor (returned open), telling SQLAlchemy's cursor
        listeners (tracing, profiling) as a Core execution would; driver errors as SQLAlchemy's."""
        cursor = conn.connection.driver_connection.cursor()  # type: ignore[union-attr]
        traced = bool(conn.dispatch.before_cursor_execute or conn.dispatch.after_cursor_execute)
        try:
            if traced:
                conn.dispatch.before_cursor_execute(conn, cursor, compiled.sql, values, None, many)
            (cursor.executemany if many else cursor.execute)(compiled.sql, values)
            if traced:
                conn.dispatch.after_cursor_execute(conn, cursor, compiled.sql, values, None, many)
        except conn.dialect.loaded_dbapi.Error as error:
            cursor.close()
            raise _translated(conn.dialect, compiled.sql, values, error) from error
        return cursor


def _translated(dialect: Dialect, sql: str, values: Any, error: Exception) -> StatementError:
    """The driver's error as SQLAlchemy raises it: a ``DBAPIError`` subclass for an error of the
    driver, a plain ``StatementError`` for anything else (what ``DBAPIError.instance`` returns)."""
    return DBAPIError.instance(sql, values, error, dialect.loaded_dbapi.Error, dialect=dialect)
