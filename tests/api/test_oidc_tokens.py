"""The checks on what the city's OpenID provider sends, with keys of our own: the ID token's
signature (from the provider's JWKS, served on loopback with its discovery document), issuer,
audience, expiry and nonce, the state of the answer, and how role claims map to roles."""

from __future__ import annotations

import base64
import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest
from joserfc import jwt
from joserfc.jwk import RSAKey

from queue_ticketing.domain.identity import RoleGrant, parse_grant
from queue_ticketing.services.oidc import OidcClient, OidcConfig, Pending, SignInRefused, choose_grant, grants_of

NOW = 1_790_000_000
CLIENT = "gastvrij"


class Provider:
    """A discovery document and a JWKS on a loopback port: all an ID token's check reads."""

    def __init__(self) -> None:
        self.key = RSAKey.generate_key(2048, parameters={"kid": "key-1", "use": "sig"})
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self.issuer = f"http://127.0.0.1:{self.server.server_address[1]}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        provider = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                documents = {
                    "/.well-known/openid-configuration": {
                        "issuer": provider.issuer, "jwks_uri": f"{provider.issuer}/jwks",
                        "authorization_endpoint": f"{provider.issuer}/auth",
                        "token_endpoint": f"{provider.issuer}/token",
                        "id_token_signing_alg_values_supported": ["RS256"],
                        "end_session_endpoint": f"{provider.issuer}/session/end"},
                    "/jwks": {"keys": [provider.key.as_dict(private=False)]},
                }
                body = json.dumps(documents.get(self.path, {})).encode()
                self.send_response(200 if self.path in documents else 404)
                self.send_header("Content-Type", "application/json")
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args: Any) -> None:
                return None

        return Handler

    def token(self, key: RSAKey | None = None, **claims: Any) -> str:
        body = {"iss": self.issuer, "aud": CLIENT, "sub": "person-1", "iat": NOW, "exp": NOW + 300,
                "nonce": "the-nonce", "name": "Anna de Vries", "roles": ["desk:ijsselmonde"]}
        body.update(claims)
        body = {k: v for k, v in body.items() if v is not None}
        return jwt.encode({"alg": "RS256", "kid": "key-1"}, body, key or self.key)


@pytest.fixture(scope="module")
def provider() -> Iterator[Provider]:
    running = Provider()
    yield running
    running.server.shutdown()


@pytest.fixture
def client(provider: Provider) -> OidcClient:
    return OidcClient(OidcConfig(provider.issuer, CLIENT, "secret"), now=lambda: NOW, leeway=0)


def test_a_good_id_token_gives_its_claims(client: OidcClient, provider: Provider) -> None:
    claims = client.verify_id_token(provider.token(), "the-nonce")
    assert claims["sub"] == "person-1" and claims["roles"] == ["desk:ijsselmonde"]


def _tampered(token: str) -> str:
    header, payload, signature = token.split(".")
    claims = json.loads(base64.urlsafe_b64decode(payload + "=="))
    claims["roles"] = ["admin"]
    forged = base64.urlsafe_b64encode(json.dumps(claims).encode()).decode().rstrip("=")
    return f"{header}.{forged}.{signature}"


@pytest.mark.parametrize("case", ["tampered", "other key", "wrong nonce", "expired", "other audience",
                                  "other issuer", "no nonce", "unsigned"])
def test_an_id_token_that_fails_a_check_is_refused(client: OidcClient, provider: Provider, case: str) -> None:
    token = {
        "tampered": lambda: _tampered(provider.token()),
        "other key": lambda: provider.token(RSAKey.generate_key(2048, parameters={"kid": "key-1"})),
        "wrong nonce": lambda: provider.token(nonce="another-nonce"),
        "expired": lambda: provider.token(exp=NOW - 1),
        "other audience": lambda: provider.token(aud="another-client"),
        "other issuer": lambda: provider.token(iss="https://login.example"),
        "no nonce": lambda: provider.token(nonce=None),
        "unsigned": lambda: provider.token().rsplit(".", 1)[0].replace(
            provider.token().split(".")[0],
            base64.urlsafe_b64encode(b'{"alg":"none"}').decode().rstrip("=")) + ".",
    }[case]()
    with pytest.raises(SignInRefused):
        client.verify_id_token(token, "the-nonce")


def test_an_answer_with_another_state_is_refused_before_its_code_is_used(client: OidcClient) -> None:
    pending = Pending(state="mine", nonce="n", verifier="v" * 64, next="/")
    with pytest.raises(SignInRefused, match="state"):
        client.finish("http://127.0.0.1/sign-in/oidc/callback", pending, {"state": "theirs", "code": "c"})
    with pytest.raises(SignInRefused, match="state"):
        client.finish("http://127.0.0.1/sign-in/oidc/callback", pending, {"code": "c"})


def test_the_sign_in_starts_with_pkce_state_and_nonce(client: OidcClient, provider: Provider) -> None:
    url, pending = client.begin("http://127.0.0.1:8000/sign-in/oidc/callback", "/desk/ijsselmonde")
    assert url.startswith(f"{provider.issuer}/auth?")
    for part in ("response_type=code", "code_challenge_method=S256", f"state={pending.state}",
                 f"nonce={pending.nonce}", f"client_id={CLIENT}", "scope=openid"):
        assert part in url, part
    assert pending.verifier not in url, "only the challenge travels, never the verifier"
    assert client.logout_url("http://127.0.0.1:8000/sign-in") == (
        f"{provider.issuer}/session/end?client_id={CLIENT}&post_logout_redirect_uri="
        "http%3A%2F%2F127.0.0.1%3A8000%2Fsign-in")


def test_role_claims_map_to_roles_and_unknown_values_grant_nothing() -> None:
    claims = {"roles": ["desk:ijsselmonde", "manager:hoogvliet", "admin", "desk", "admin:x", "chef:ijsselmonde", 7]}
    assert grants_of(claims, "roles") == (RoleGrant("desk", "ijsselmonde"), RoleGrant("manager", "hoogvliet"),
                                          RoleGrant("admin", None))
    assert grants_of({"groups": "host:ijsselmonde"}, "groups") == (RoleGrant("host", "ijsselmonde"),)
    assert grants_of({}, "roles") == ()
    assert parse_grant("kiosk:ijsselmonde") is None, "a person is never a device"


def test_a_person_with_several_roles_signs_in_as_the_one_the_page_needs() -> None:
    grants = (RoleGrant("desk", "ijsselmonde"), RoleGrant("manager", "hoogvliet"))
    assert choose_grant(grants, "/desk/ijsselmonde/balie-1") == RoleGrant("desk", "ijsselmonde")
    assert choose_grant(grants, "/host/hoogvliet") == RoleGrant("manager", "hoogvliet")
    assert choose_grant(grants, "/") == RoleGrant("manager", "hoogvliet")
