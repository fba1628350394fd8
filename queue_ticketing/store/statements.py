"""Statements built once and run with parameters: building a SQLAlchemy statement per call
costs several times more than running it, and the hot paths (issue, call) run many."""

from __future__ import annotations

from collections.abc import Callable
from functools import cache
from typing import Any

from sqlalchemy import Connection
from sqlalchemy.dialects import postgresql, sqlite


def per_dialect(build: Callable[[Any], Any]) -> Callable[[Connection], Any]:
    """A statement that differs between SQLite and PostgreSQL (upserts), built once per dialect.
    ``build`` gets the dialect's ``insert`` construct."""

    @cache
    def for_dialect(name: str) -> Any:
        return build(postgresql.insert if name == "postgresql" else sqlite.insert)

    return lambda conn: for_dialect(conn.dialect.name)
