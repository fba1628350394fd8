"""Clients of the Zaken API: their JWT secret and their scopes per zaaktype.

The secret is stored as given: HS256 is symmetric, so verifying a client's token needs the secret
itself, not a hash of it. It is never logged and no API returns it (docs/cases.md, "Secrets")."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import Connection, bindparam, delete, insert, select

from .schema import zgw_autorisaties, zgw_clients

ALL_ZAAKTYPES = "*"

_client = select(zgw_clients.c.secret).where(zgw_clients.c.client_id == bindparam("client_id"))
_autorisaties = select(zgw_autorisaties.c.zaaktype, zgw_autorisaties.c.scopes,
                       zgw_autorisaties.c.max_vertrouwelijkheidaanduiding).where(
    zgw_autorisaties.c.client_id == bindparam("client_id"))
_forget_autorisaties = delete(zgw_autorisaties).where(zgw_autorisaties.c.client_id == bindparam("client_id"))
_forget_client = delete(zgw_clients).where(zgw_clients.c.client_id == bindparam("client_id"))


@dataclass(frozen=True)
class ZgwClient:
    client_id: str
    secret: str = field(default="", repr=False)
    scopes: Mapping[str, frozenset[str]] = field(default_factory=dict)
    """zaaktype id (or ``*`` for all) → scopes."""
    max_vertrouwelijkheid: Mapping[str, str] = field(default_factory=dict)
    """zaaktype id (or ``*``) → the most confidential level of its cases the client may see
    (ZGW's ``maxVertrouwelijkheidaanduiding``); missing: ``zeer_geheim``, every level."""

    def may(self, scope: str, zaaktype: str) -> bool:
        return scope in self.scopes.get(zaaktype, ()) or scope in self.scopes.get(ALL_ZAAKTYPES, ())

    def zaaktypes_with(self, scope: str, known: list[str]) -> list[str]:
        """The zaaktypes (of ``known``) for which the client has ``scope``."""
        return [zaaktype for zaaktype in known if self.may(scope, zaaktype)]


class ZgwClientStore:
    def __init__(self, conn: Connection) -> None:
        self.conn = conn

    def get(self, client_id: str) -> ZgwClient | None:
        secret = self.conn.execute(_client, {"client_id": client_id}).scalar()
        if secret is None:
            return None
        rows = list(self.conn.execute(_autorisaties, {"client_id": client_id}))
        return ZgwClient(client_id, secret, {r.zaaktype: frozenset(r.scopes.split()) for r in rows},
                         {r.zaaktype: r.max_vertrouwelijkheidaanduiding for r in rows})

    def put(self, client: ZgwClient, now: datetime) -> None:
        """Add the client, or replace its secret and all its scopes."""
        self.remove(client.client_id)
        self.conn.execute(insert(zgw_clients), {"client_id": client.client_id, "secret": client.secret,
                                                "created_at": now})
        rows = [{"client_id": client.client_id, "zaaktype": zaaktype, "scopes": " ".join(sorted(scopes)),
                 "max_vertrouwelijkheidaanduiding": client.max_vertrouwelijkheid.get(zaaktype, "zeer_geheim")}
                for zaaktype, scopes in client.scopes.items()]
        if rows:
            self.conn.execute(insert(zgw_autorisaties), rows)

    def remove(self, client_id: str) -> bool:
        self.conn.execute(_forget_autorisaties, {"client_id": client_id})
        return self.conn.execute(_forget_client, {"client_id": client_id}).rowcount == 1

    def all(self) -> list[ZgwClient]:
        ids = [r[0] for r in self.conn.execute(select(zgw_clients.c.client_id).order_by(zgw_clients.c.client_id))]
        clients = [self.get(client_id) for client_id in ids]
        return [ZgwClient(c.client_id, "", c.scopes, c.max_vertrouwelijkheid) for c in clients if c is not None]
