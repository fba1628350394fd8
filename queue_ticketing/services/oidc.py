"""Single sign-on with the city's OpenID provider: the authorization code flow with PKCE (Authlib's
OAuth 2.0 client), the ID token checked with joserfc (signature from the provider's JWKS, issuer,
audience, expiry, nonce), and the person's roles read from one claim (``roles`` by default).

The provider is found by discovery (``{issuer}/.well-known/openid-configuration``). What the flow
must remember between the redirect to the provider and the way back (state, nonce, the PKCE
verifier, where to go afterwards) is kept in a short-lived cookie of the browser that started it
(``web/sign_in.py``): the state in the answer must match it, and the nonce in the ID token too, so
an answer meant for another browser signs nobody in.

The HTTP calls to the provider block: call these methods in a thread.
"""

from __future__ import annotations

import secrets
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import requests
from authlib.common.security import generate_token
from authlib.integrations.requests_client import OAuth2Session
from joserfc import jwt
from joserfc.errors import JoseError
from joserfc.jwk import KeySet

from ..domain.errors import DomainError
from ..domain.identity import PERSON_ROLES, RoleGrant, parse_grant

DISCOVERY_SECONDS = 3600.0
"""How long the provider's metadata and keys are kept before they are read again (a key unknown
to the kept set is looked up at once: the provider may have rotated its keys)."""


class SignInRefused(DomainError):
    """The provider's answer cannot sign anyone in (state, token or claims wrong)."""

    code = "oidc_refused"
    status = 401


class NoRole(DomainError):
    """The person is known to the provider but holds no role of this service."""

    code = "no_role"
    status = 403


@dataclass(frozen=True)
class OidcConfig:
    issuer: str
    client_id: str
    client_secret: str | None
    roles_claim: str = "roles"


@dataclass(frozen=True)
class Pending:
    """What the browser keeps between the redirect and the way back."""

    state: str
    nonce: str
    verifier: str
    next: str


@dataclass(frozen=True)
class Person:
    subject: str
    name: str
    email: str
    grants: tuple[RoleGrant, ...]
    id_token: str


def grants_of(claims: dict[str, Any], roles_claim: str) -> tuple[RoleGrant, ...]:
    """The roles the claim grants here (values this service does not know are left out)."""
    values = claims.get(roles_claim) or []
    if isinstance(values, str):
        values = values.split()
    grants = (parse_grant(v) for v in values if isinstance(v, str))
    return tuple(g for g in grants if g is not None)


RANK = {role: i for i, role in enumerate(reversed(PERSON_ROLES))}


def choose_grant(grants: tuple[RoleGrant, ...], next_path: str) -> RoleGrant:
    """The role a person with several signs in as: one that fits the page asked for (its location
    in the address), else the one that can do the most."""
    parts = next_path.strip("/").split("/")
    if len(parts) >= 2 and parts[0] in ("host", "desk", "manage"):
        fitting = [g for g in grants if g.location in (None, parts[1])
                   and (g.role == parts[0] or g.role in ("manager", "admin"))]
        if fitting:
            return min(fitting, key=lambda g: RANK[g.role])
    return min(grants, key=lambda g: RANK[g.role])


class OidcClient:
    def __init__(self, config: OidcConfig, *, http: requests.Session | None = None,
                 now: Callable[[], float] = time.time, leeway: int = 60) -> None:
        self.config = config
        self.http = http or requests.Session()
        self.now = now
        self.leeway = leeway
        self._lock = threading.Lock()
        self._metadata: tuple[float, dict[str, Any]] | None = None
        self._keys: tuple[float, KeySet] | None = None

    # ----------------------------------------------------------------------------- the provider

    def metadata(self) -> dict[str, Any]:
        with self._lock:
            if self._metadata and time.monotonic() - self._metadata[0] < DISCOVERY_SECONDS:
                return self._metadata[1]
        url = self.config.issuer.rstrip("/") + "/.well-known/openid-configuration"
        found = self.http.get(url, timeout=10)
        found.raise_for_status()
        metadata: dict[str, Any] = found.json()
        if metadata.get("issuer") != self.config.issuer:
            raise SignInRefused(f"The provider at {url} names itself '{metadata.get('issuer')}'.")
        with self._lock:
            self._metadata = (time.monotonic(), metadata)
        return metadata

    def keys(self, refresh: bool = False) -> KeySet:
        with self._lock:
            if not refresh and self._keys and time.monotonic() - self._keys[0] < DISCOVERY_SECONDS:
                return self._keys[1]
        found = self.http.get(self.metadata()["jwks_uri"], timeout=10)
        found.raise_for_status()
        keys = KeySet.import_key_set(found.json())
        with self._lock:
            self._keys = (time.monotonic(), keys)
        return keys

    def _session(self, redirect_uri: str) -> OAuth2Session:
        auth_method = "client_secret_basic" if self.config.client_secret else "none"
        return OAuth2Session(self.config.client_id, self.config.client_secret, scope="openid email profile",
                             redirect_uri=redirect_uri, code_challenge_method="S256",
                             token_endpoint_auth_method=auth_method)

    # ------------------------------------------------------------------------------------ the flow

    def begin(self, redirect_uri: str, next_path: str) -> tuple[str, Pending]:
        """The provider's address to send the browser to, and what the browser keeps meanwhile."""
        pending = Pending(state=secrets.token_urlsafe(24), nonce=secrets.token_urlsafe(24),
                          verifier=generate_token(64), next=next_path)
        url, _ = self._session(redirect_uri).create_authorization_url(
            self.metadata()["authorization_endpoint"], state=pending.state, code_verifier=pending.verifier,
            nonce=pending.nonce)
        return url, pending

    def finish(self, redirect_uri: str, pending: Pending, params: dict[str, str]) -> Person:
        """The person of the provider's answer (the callback's query), once every check passed."""
        if not secrets.compare_digest(params.get("state", ""), pending.state):
            raise SignInRefused("The answer does not belong to this sign-in (state).")
        if "error" in params:
            raise SignInRefused(f"The city account refused: {params.get('error_description') or params['error']}.")
        code = params.get("code")
        if not code:
            raise SignInRefused("The answer carries no code.")
        session = self._session(redirect_uri)
        try:
            token = session.fetch_token(self.metadata()["token_endpoint"], code=code,
                                        code_verifier=pending.verifier, grant_type="authorization_code")
        except Exception as error:  # the provider refused the code (an OAuthError, or its HTTP error)
            raise SignInRefused(f"The code could not be exchanged: {error}") from None
        id_token = token.get("id_token")
        if not id_token:
            raise SignInRefused("The provider sent no ID token.")
        claims = self.verify_id_token(id_token, pending.nonce)
        grants = grants_of(claims, self.config.roles_claim)
        name = str(claims.get("name") or claims.get("preferred_username") or claims.get("email") or claims["sub"])
        email = str(claims.get("email") or f"{claims['sub']}@{self.config.issuer.split('//')[-1].split('/')[0]}")
        return Person(str(claims["sub"]), name[:120], email.lower()[:254], grants, id_token)

    def verify_id_token(self, id_token: str, nonce: str) -> dict[str, Any]:
        """The ID token's claims: signed by a key of the provider's JWKS, issued by it, for this
        client, not expired, and with this sign-in's nonce. SignInRefused otherwise."""
        algorithms = self.metadata().get("id_token_signing_alg_values_supported") or ["RS256"]
        algorithms = [a for a in algorithms if a != "none"]
        try:
            try:
                decoded = jwt.decode(id_token, self.keys(), algorithms=algorithms)
            except (ValueError, JoseError):
                decoded = jwt.decode(id_token, self.keys(refresh=True), algorithms=algorithms)
            registry = jwt.JWTClaimsRegistry(
                now=lambda: int(self.now()), leeway=self.leeway,
                iss={"essential": True, "value": self.config.issuer},
                aud={"essential": True, "value": self.config.client_id},
                exp={"essential": True}, sub={"essential": True},
                nonce={"essential": True, "value": nonce},
            )
            registry.validate(decoded.claims)
        except (ValueError, JoseError) as error:
            raise SignInRefused(f"The ID token is not valid: {error}") from None
        return dict(decoded.claims)

    def logout_url(self, post_logout_redirect_uri: str) -> str | None:
        """The provider's sign-out address (RP-initiated logout), when it offers one."""
        endpoint = self.metadata().get("end_session_endpoint")
        if not endpoint:
            return None
        return str(requests.Request("GET", endpoint, params={
            "client_id": self.config.client_id, "post_logout_redirect_uri": post_logout_redirect_uri,
        }).prepare().url)
