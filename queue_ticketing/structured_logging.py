"""Logs as one JSON object per line, with no personal data (callers log ids and codes only).

A failure is logged once, however many layers report it (a mounted application, the outer one,
the server), and only as what an operator may read: the exception's type, the line of our code
it came from and, for a database statement, the statement's name and the driver's error code.
Never the exception's message: a driver's message holds the statement's parameters (a ZGW
``statustoelichting`` with a name and an e-mail address) or the value it refused."""

from __future__ import annotations

import contextlib
import json
import logging
import re
import sys
import traceback
from datetime import UTC, datetime
from pathlib import Path

_ROOT = Path(__file__).parent.parent
_OURS = tuple(str(_ROOT / package) for package in ("queue_ticketing", "location_config", "kiosk_app", "robot_host",
                                                   "assets"))
_STATEMENT = re.compile(
    r"^\s*(?:(?P<insert>INSERT)\s+(?:OR\s+\w+\s+)?INTO|(?P<update>UPDATE)|(?P<delete>DELETE)\s+FROM"
    r"|(?P<select>SELECT)\b.*?\bFROM)\s+\"?(?P<table>\w+)", re.IGNORECASE | re.DOTALL)
_LOGGED = "_gastvrij_logged"


def statement_name(sql: str) -> str:
    """``INSERT zaak_statussen``, ``SELECT tickets``: what a statement does to which table."""
    match = _STATEMENT.match(sql)
    if match is None:
        return sql.split(None, 1)[0].upper() if sql.strip() else "?"
    verb = next(v for k, v in match.groupdict().items() if k != "table" and v)
    return f"{verb.upper()} {match['table']}"


def _type_name(error: BaseException) -> str:
    kind = type(error)
    return kind.__qualname__ if kind.__module__ == "builtins" else f"{kind.__module__}.{kind.__qualname__}"


def describe_failure(error: BaseException) -> dict[str, object]:
    """The loggable facts of a failure (see the module's docstring)."""
    fields: dict[str, object] = {"error": _type_name(error)}
    ours = [frame for frame in traceback.extract_tb(error.__traceback__) if frame.filename.startswith(_OURS)]
    if ours:
        frame = ours[-1]
        fields["at"] = f"{Path(frame.filename).relative_to(_ROOT)}:{frame.lineno} ({frame.name})"
    cause: BaseException | None = error
    while cause is not None:  # the statement that failed, also beneath a domain error raised from it
        statement = getattr(cause, "statement", None)
        if isinstance(statement, str):
            fields["statement"] = statement_name(statement)
            driver = getattr(cause, "orig", None)
            if isinstance(driver, BaseException):
                fields["driver_error"] = _type_name(driver)
                code = getattr(driver, "sqlstate", None) or getattr(driver, "sqlite_errorname", None)
                if code:
                    fields["driver_code"] = str(code)
            break
        cause = cause.__cause__ or cause.__context__
    return fields


class OncePerFailure(logging.Filter):
    """Lets through the first record of an exception and drops the next ones of the same one."""

    def filter(self, record: logging.LogRecord) -> bool:
        error = record.exc_info[1] if record.exc_info else None
        if error is None:
            return True
        if getattr(error, _LOGGED, False):
            return False
        with contextlib.suppress(AttributeError, TypeError):  # no attributes of its own: logged each time
            setattr(error, _LOGGED, True)
        return True


class JsonLines(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, object] = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname.lower(),
            "logger": record.name,
            "event": record.getMessage().strip(),
        }
        fields = getattr(record, "fields", None)
        if isinstance(fields, dict):
            entry.update(fields)
        if record.exc_info and record.exc_info[1] is not None:
            entry.update(describe_failure(record.exc_info[1]))
        return json.dumps(entry, ensure_ascii=False, default=str)


def configure(level: str = "INFO") -> None:
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(JsonLines())
    handler.addFilter(OncePerFailure())
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level.upper())
    for noisy in ("uvicorn.access",):
        logging.getLogger(noisy).disabled = True
