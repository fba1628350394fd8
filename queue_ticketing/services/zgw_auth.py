"""Who may use the Zaken API, as in ZGW: a JWT signed with HS256 by a client (claims ``iss``,
``iat``, ``client_id``) and that client's scopes per zaaktype.

Scopes used: ``zaken.lezen``, ``zaken.aanmaken``, ``zaken.bijwerken``, ``zaken.statussen.toevoegen``,
``zaken.geforceerd-bijwerken``. A closed case changes only with ``zaken.geforceerd-bijwerken``."""

from __future__ import annotations

import secrets
from datetime import timedelta

import jwt

from ..domain.cases import Zaak
from ..domain.clock import Clock
from ..domain.errors import DomainError
from ..store.database import Database
from ..store.unit_of_work import Stores, UnitOfWork
from ..store.zgw_clients import ALL_ZAAKTYPES
from ..store.zgw_clients import ZgwClient as ZgwClient  # the Zaken API's routes name it from here
from .context import TimedCache

LEZEN = "zaken.lezen"
AANMAKEN = "zaken.aanmaken"
BIJWERKEN = "zaken.bijwerken"
STATUSSEN_TOEVOEGEN = "zaken.statussen.toevoegen"
GEFORCEERD_BIJWERKEN = "zaken.geforceerd-bijwerken"
SCOPES = (LEZEN, AANMAKEN, BIJWERKEN, STATUSSEN_TOEVOEGEN, GEFORCEERD_BIJWERKEN)

TOKEN_MAX_AGE = timedelta(hours=1)
CLOCK_LEEWAY = timedelta(minutes=1)
MIN_SECRET_LENGTH = 32
"""HS256 secrets shorter than the hash (32 bytes) are guessable; PyJWT warns about them too."""


class NotAuthenticated(DomainError):
    code = "not_authenticated"
    status = 401


class PermissionDenied(DomainError):
    code = "permission_denied"
    status = 403


def put_client(uow: UnitOfWork, client_id: str, secret: str, scopes: list[str],
               zaaktypes: list[str] | None, known_zaaktypes: list[str]) -> ZgwClient:
    """Add a client or replace its secret and scopes. Without ``zaaktypes`` the scopes hold for every
    zaaktype, also ones configured later."""
    if not client_id or len(client_id) > 128:
        raise DomainError("A client id has 1 to 128 characters.")
    if len(secret) < MIN_SECRET_LENGTH:
        raise DomainError(f"The secret needs at least {MIN_SECRET_LENGTH} characters "
                          f"(for example: {secrets.token_urlsafe(32)}).")
    unknown = [s for s in scopes if s not in SCOPES]
    if unknown or not scopes:
        raise DomainError(f"Unknown scope(s) {', '.join(unknown) or '(none given)'}; choose from {', '.join(SCOPES)}.")
    for zaaktype in zaaktypes or []:
        if zaaktype not in known_zaaktypes:
            raise DomainError(f"Unknown zaaktype '{zaaktype}'; known: {', '.join(known_zaaktypes)}.")
    client = ZgwClient(client_id, secret, {z: frozenset(scopes) for z in (zaaktypes or [ALL_ZAAKTYPES])})
    uow.zgw_clients.put(client, uow.now)
    uow.record("zgw_client.changed", None, target=client_id)
    return client


class ZgwAuthenticator:
    """Bearer JWT → client, verified with the client's own secret; clients are cached briefly, so
    a changed secret or scope takes effect within ``seconds``."""

    def __init__(self, db: Database, clock: Clock, seconds: float = 30.0) -> None:
        self.db = db
        self.clock = clock
        self._clients: TimedCache[ZgwClient | None] = TimedCache(seconds)

    def _client(self, client_id: str) -> ZgwClient | None:
        def look_up() -> ZgwClient | None:
            with self.db.read() as conn:
                return Stores(conn).zgw_clients.get(client_id)

        return self._clients.get(client_id, look_up)

    def client(self, token: str) -> ZgwClient:
        try:
            header = jwt.get_unverified_header(token)
            unverified = jwt.decode(token, options={"verify_signature": False})
        except jwt.PyJWTError:
            raise NotAuthenticated("The bearer token is not a JWT.") from None
        if header.get("alg") != "HS256":
            raise NotAuthenticated("Sign the JWT with HS256.")
        client_id = unverified.get("client_id") or unverified.get("iss")
        client = self._client(str(client_id)) if isinstance(client_id, str) and client_id else None
        if client is None:
            raise NotAuthenticated("This client_id is unknown.")
        try:
            # Times are checked below against the service's clock, not PyJWT's.
            claims = jwt.decode(token, client.secret, algorithms=["HS256"],
                                options={"verify_exp": False, "verify_iat": False, "verify_nbf": False,
                                         "require": ["iat"]})
        except jwt.PyJWTError:
            raise NotAuthenticated("The JWT's signature or claims are not valid for this client.") from None
        self._check_times(claims)
        return client

    def _check_times(self, claims: dict[str, object]) -> None:
        now = self.clock().timestamp()
        iat, exp = claims.get("iat"), claims.get("exp")
        if not isinstance(iat, int | float) or isinstance(iat, bool):
            raise NotAuthenticated("The JWT needs a numeric 'iat' claim.")
        if iat > now + CLOCK_LEEWAY.total_seconds():
            raise NotAuthenticated("The JWT was issued in the future; check the client's clock.")
        if now - iat > TOKEN_MAX_AGE.total_seconds():
            raise NotAuthenticated(f"The JWT is older than {int(TOKEN_MAX_AGE.total_seconds())} s; make a new one.")
        if isinstance(exp, int | float) and not isinstance(exp, bool) and exp < now - CLOCK_LEEWAY.total_seconds():
            raise NotAuthenticated("The JWT has expired.")


def require(client: ZgwClient, scope: str, zaaktype: str) -> None:
    if not client.may(scope, zaaktype):
        raise PermissionDenied(f"This client lacks scope {scope} for zaaktype '{zaaktype}'.")


def require_read(client: ZgwClient, zaak: Zaak) -> None:
    require(client, LEZEN, zaak.zaaktype)


def require_change(client: ZgwClient, zaak: Zaak, *scopes: str) -> None:
    """One of ``scopes`` for the case's zaaktype; on a closed case only geforceerd-bijwerken."""
    if client.may(GEFORCEERD_BIJWERKEN, zaak.zaaktype):
        return
    if zaak.is_closed:
        raise PermissionDenied(f"This case is closed; changing it needs scope {GEFORCEERD_BIJWERKEN}.")
    if not any(client.may(scope, zaak.zaaktype) for scope in scopes):
        raise PermissionDenied(f"This client lacks scope {' or '.join(scopes)} for zaaktype '{zaak.zaaktype}'.")


def require_status_change(client: ZgwClient, zaak: Zaak) -> None:
    """zaken.statussen.toevoegen; zaken.aanmaken suffices for a case's first status (as in ZGW)."""
    if zaak.status is None and not zaak.is_closed:
        require_change(client, zaak, STATUSSEN_TOEVOEGEN, AANMAKEN)
    else:
        require_change(client, zaak, STATUSSEN_TOEVOEGEN)
