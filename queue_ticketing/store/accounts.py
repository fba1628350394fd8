"""People's staff accounts: local ones (an argon2id hash of the password) and those of the city's
identity provider (OpenID Connect)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, Row, insert, select, update

from .schema import staff_accounts


@dataclass(frozen=True)
class Account:
    id: str
    email: str
    name: str
    role: str
    location: str | None
    source: str
    created_at: datetime
    external_id: str | None = None
    password_hash: str | None = None
    totp_secret: str | None = None
    failed_attempts: int = 0
    locked_until: datetime | None = None
    disabled_at: datetime | None = None


def _account(row: Row[Any]) -> Account:
    return Account(row.id, row.email, row.name, row.role, row.location, row.source, row.created_at,
                   row.external_id, row.password_hash, row.totp_secret, row.failed_attempts, row.locked_until,
                   row.disabled_at)


class AccountStore:
    def __init__(self, conn: Connection) -> None:
        self.conn = conn

    def add(self, account: Account) -> None:
        self.conn.execute(insert(staff_accounts).values(
            id=account.id, email=account.email, name=account.name, role=account.role, location=account.location,
            source=account.source, external_id=account.external_id, password_hash=account.password_hash,
            totp_secret=account.totp_secret, failed_attempts=0, created_at=account.created_at))

    def get(self, account_id: str) -> Account | None:
        row = self.conn.execute(select(staff_accounts).where(staff_accounts.c.id == account_id)).first()
        return _account(row) if row else None

    def by_email(self, email: str) -> Account | None:
        row = self.conn.execute(select(staff_accounts).where(staff_accounts.c.email == email.lower())).first()
        return _account(row) if row else None

    def by_external(self, source: str, external_id: str) -> Account | None:
        row = self.conn.execute(select(staff_accounts).where(staff_accounts.c.source == source,
                                                             staff_accounts.c.external_id == external_id)).first()
        return _account(row) if row else None

    def all(self) -> list[Account]:
        return [_account(r) for r in self.conn.execute(select(staff_accounts).order_by(staff_accounts.c.email))]

    def failed(self, account_id: str, attempts: int, locked_until: datetime | None) -> None:
        self.conn.execute(update(staff_accounts).where(staff_accounts.c.id == account_id)
                          .values(failed_attempts=attempts, locked_until=locked_until))

    def succeeded(self, account_id: str) -> None:
        self.conn.execute(update(staff_accounts).where(staff_accounts.c.id == account_id)
                          .values(failed_attempts=0, locked_until=None))

    def set_password(self, account_id: str, password_hash: str) -> None:
        self.conn.execute(update(staff_accounts).where(staff_accounts.c.id == account_id)
                          .values(password_hash=password_hash, failed_attempts=0, locked_until=None))

    def set_totp(self, account_id: str, secret: str | None) -> None:
        self.conn.execute(update(staff_accounts).where(staff_accounts.c.id == account_id).values(totp_secret=secret))

    def update_identity(self, account_id: str, name: str, role: str, location: str | None) -> None:
        self.conn.execute(update(staff_accounts).where(staff_accounts.c.id == account_id)
                          .values(name=name, role=role, location=location))

    def disable(self, account_id: str, now: datetime) -> bool:
        result = self.conn.execute(update(staff_accounts).where(
            staff_accounts.c.id == account_id, staff_accounts.c.disabled_at.is_(None)).values(disabled_at=now))
        return result.rowcount == 1
