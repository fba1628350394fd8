"""Who may use the Zaken API, as in ZGW: a JWT signed with HS256 by a client (claims ``iss``,
``iat``, ``client_id``) and that client's scopes per zaaktype.

Scopes used: ``zaken.lezen``, ``zaken.aanmaken``, ``zaken.bijwerken``, ``zaken.statussen.toevoegen``,
``zaken.heropenen``, ``zaken.verwijderen``, ``zaken.geforceerd-bijwerken``. What each allows is decided in
``services.zgw_permissions``."""

from __future__ import annotations

import hashlib
import math
import secrets
from datetime import timedelta

import jwt

from location_config.zaaktypes import VERTROUWELIJKHEIDAANDUIDINGEN

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
HEROPENEN = "zaken.heropenen"
VERWIJDEREN = "zaken.verwijderen"
SCOPES = (LEZEN, AANMAKEN, BIJWERKEN, STATUSSEN_TOEVOEGEN, GEFORCEERD_BIJWERKEN, HEROPENEN, VERWIJDEREN)

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
               zaaktypes: list[str] | None, known_zaaktypes: list[str],
               max_vertrouwelijkheid: str = "zeer_geheim") -> ZgwClient:
    """Add a client or replace its secret and scopes. Without ``zaaktypes`` the scopes hold for every
    zaaktype, also ones configured later; ``max_vertrouwelijkheid`` caps the cases it sees."""
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
    if max_vertrouwelijkheid not in VERTROUWELIJKHEIDAANDUIDINGEN:
        raise DomainError(f"Unknown level '{max_vertrouwelijkheid}'; choose from "
                          f"{', '.join(VERTROUWELIJKHEIDAANDUIDINGEN)}.")
    keys = zaaktypes or [ALL_ZAAKTYPES]
    client = ZgwClient(client_id, secret, {z: frozenset(scopes) for z in keys},
                       dict.fromkeys(keys, max_vertrouwelijkheid))
    uow.zgw_clients.put(client, uow.now)
    uow.record("zgw_client.changed", None, target=client_id)
    return client


CLIENT_ID_MAX_LENGTH = 128


class ZgwAuthenticator:
    """Bearer JWT → client, verified with the client's own secret. A client is cached only after a
    token of it was verified, so a changed secret or scope takes effect within ``seconds``; unknown
    client ids are remembered by their hash, at most a few hundred of them (see ``TimedCache``)."""

    def __init__(self, db: Database, clock: Clock, seconds: float = 30.0) -> None:
        self.db = db
        self.clock = clock
        # Verified clients by their id; unknown ids (misses) by the hash of the id.
        self._clients: TimedCache[ZgwClient | None] = TimedCache(seconds, size=1024, misses=256)

    def _look_up(self, client_id: str) -> ZgwClient | None:
        found, client = self._clients.fresh(client_id)
        if found:
            return client
        unknown_key = "unknown:" + hashlib.sha256(client_id.encode()).hexdigest()
        if self._clients.fresh(unknown_key)[0]:
            return None
        with self.db.read() as conn:
            client = Stores(conn).zgw_clients.get(client_id)
        if client is None:
            self._clients.put(unknown_key, None)
        return client

    def client(self, token: str) -> ZgwClient:
        try:
            header = jwt.get_unverified_header(token)
            unverified = jwt.decode(token, options={"verify_signature": False})
        except jwt.PyJWTError:
            raise NotAuthenticated("The bearer token is not a JWT.") from None
        if header.get("alg") != "HS256":
            raise NotAuthenticated("Sign the JWT with HS256.")
        client_id = unverified.get("client_id") or unverified.get("iss")
        if not isinstance(client_id, str) or not client_id:
            raise NotAuthenticated("The JWT needs a 'client_id' (or 'iss') claim.")
        if len(client_id) > CLIENT_ID_MAX_LENGTH or not client_id.isprintable():
            raise NotAuthenticated(f"A client_id has 1 to {CLIENT_ID_MAX_LENGTH} printable characters.")
        client = self._look_up(client_id)
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
        self._clients.put(client_id, client)
        return client

    def _check_times(self, claims: dict[str, object]) -> None:
        now = self.clock().timestamp()
        iat, exp = _finite(claims.get("iat")), claims.get("exp")
        if iat is None:
            raise NotAuthenticated("The JWT needs a numeric 'iat' claim (seconds since 1970).")
        if iat > now + CLOCK_LEEWAY.total_seconds():
            raise NotAuthenticated("The JWT was issued in the future; check the client's clock.")
        if now - iat > TOKEN_MAX_AGE.total_seconds():
            raise NotAuthenticated(f"The JWT is older than {int(TOKEN_MAX_AGE.total_seconds())} s; make a new one.")
        if exp is not None:
            expires = _finite(exp)
            if expires is None:
                raise NotAuthenticated("The JWT's 'exp' claim is not a number of seconds since 1970.")
            if expires < now - CLOCK_LEEWAY.total_seconds():
                raise NotAuthenticated("The JWT has expired.")


def _finite(value: object) -> float | None:
    """A claim's time as a finite number of seconds, or None (NaN, infinity, text, true/false)."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    try:
        seconds = float(value)
    except OverflowError:  # an integer beyond any float
        return None
    return seconds if math.isfinite(seconds) else None
