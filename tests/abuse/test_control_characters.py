"""NUL and other control characters are refused at the edge with a 400 problem+json, in every path
parameter, query parameter and JSON text field of both APIs (as their OpenAPI documents list
them), on SQLite and PostgreSQL: none reaches a database (PostgreSQL refuses NUL in text)."""

from __future__ import annotations

import json
import socket
from collections.abc import Iterator
from typing import Any
from urllib.parse import quote

import jwt
import pytest
import requests

from tests.abuse.conftest import SECRET
from tests.conftest import Api
from tests.support.live_server import ThreadServer

NUL = "a\x00b"
SAMPLE_PATH_VALUES = {"location": "ijsselmonde", "desk": "balie-1", "state": "open", "action": "finish"}


def refused(response: requests.Response, code: str = "invalid_characters") -> bool:
    return (400 <= response.status_code < 500 and response.headers.get("content-type") == "application/problem+json"
            and response.json().get("code") == code)


def string_fields(schema: dict[str, Any], components: dict[str, Any]) -> Iterator[tuple[str, Any]]:
    """(dotted name, a value with NUL in that field) for every text field of a body schema."""
    if "$ref" in schema:
        schema = components[schema["$ref"].rsplit("/", 1)[1]]
    for option in schema.get("anyOf", []) + schema.get("allOf", []) + schema.get("oneOf", []):
        yield from string_fields(option, components)
    if schema.get("type") == "string":
        yield "", NUL
    if schema.get("type") == "array" and "items" in schema:
        for name, value in string_fields(schema["items"], components):
            yield name, [value]
    for prop, field in schema.get("properties", {}).items():
        for name, value in string_fields(field, components):
            yield (f"{prop}.{name}" if name else prop), {prop: value}


def probes(document: dict[str, Any], base: str) -> Iterator[tuple[str, str, str, dict[str, Any] | None]]:
    """(what, method, path, json body): one request per path parameter, query parameter and body
    text field, that field holding NUL and every other a plausible value."""
    components = document.get("components", {}).get("schemas", {})
    for template, operations in document["paths"].items():
        for method, operation in operations.items():
            if method == "head":  # no body to carry the problem; its GET is probed
                continue
            params = operation.get("parameters", [])
            path_names = [p["name"] for p in params if p["in"] == "path"]

            def path_with(bad: str | None, template: str = template, path_names: list[str] = path_names) -> str:
                path = template
                for name in path_names:
                    value = NUL if name == bad else SAMPLE_PATH_VALUES.get(name, "some-id")
                    path = path.replace("{" + name + "}", quote(value, safe=""))
                return base + path

            for name in path_names:
                yield f"{method.upper()} {template} path {name}", method, path_with(name), None
            for param in params:
                if param["in"] == "query":
                    yield (f"{method.upper()} {template} query {param['name']}", method,
                           f"{path_with(None)}?{param['name']}={quote(NUL)}", None)
            body = operation.get("requestBody", {}).get("content", {}).get("application/json", {}).get("schema")
            if body is not None:
                for dotted, value in string_fields(body, components):
                    if isinstance(value, dict):
                        yield f"{method.upper()} {template} body {dotted}", method, path_with(None), value


def test_nul_in_any_path_query_or_body_text_of_the_api_is_a_400_problem(api: Api, make_token) -> None:
    admin = make_token("admin", None)
    document = api.get("/openapi.json").json()
    checked = []
    for what, method, url, body in probes(document, api.base):
        response = api.session.request(method, url, json=body, timeout=10, headers={"Authorization": f"Bearer {admin}"})
        assert refused(response), f"{what}: {response.status_code} {response.text[:200]}"
        checked.append(what)
    assert any(" body " in what for what in checked) and any(" path " in what for what in checked)
    assert len(checked) > 40


def test_nul_in_any_path_query_or_body_text_of_the_zaken_api_is_a_400_problem(api: Api, zgw_token: str) -> None:
    document = api.get("/zaken/api/v1/schema/openapi.json").json()
    checked = []
    for what, method, url, body in probes(document, f"{api.base}/zaken/api/v1"):
        response = api.session.request(method, url, json=body, timeout=10,
                                       headers={"Authorization": f"Bearer {zgw_token}"})
        assert refused(response), f"{what}: {response.status_code} {response.text[:200]}"
        checked.append(what)
    assert any("statustoelichting" in what for what in checked)


@pytest.mark.parametrize("text", ["\x00", "\x01", "\x1b[2J", "\x7f", "\x85", "\ud800"])
def test_control_characters_and_half_surrogates_in_a_ticket_are_refused_and_nothing_is_issued(
        api: Api, make_token, text: str) -> None:
    kiosk = make_token("kiosk")
    body = json.dumps({"service": f"paspoort{text}"}, ensure_ascii=True)
    response = api.session.post(f"{api.base}/api/v1/locations/ijsselmonde/tickets", data=body, timeout=10,
                                headers={"Authorization": f"Bearer {kiosk}", "Content-Type": "application/json",
                                         "Idempotency-Key": "k1"})
    assert refused(response)
    queue = api.get("/api/v1/locations/ijsselmonde/queue").json()
    assert sum(s["waiting"] for s in queue["services"]) == 0


def test_line_breaks_and_tabs_in_free_text_are_kept(api: Api, make_token) -> None:
    kiosk = make_token("kiosk")
    response = api.post("/api/v1/locations/ijsselmonde/public-reactions", kiosk,
                        {"type": "complaint", "text": "Eerste regel.\nTweede regel,\tmet een tab."}, key="r1")
    assert response.status_code == 201, response.text


def test_the_public_addresses_with_nul_are_400_not_500(api: Api) -> None:
    for path in ("/api/v1/tickets/a%00b", "/t/a%00b", "/api/v1/locations/a%00b/events", "/display/a%00b"):
        assert refused(api.get(path)), path


def test_a_control_character_in_a_header_is_a_400_problem(server: ThreadServer) -> None:
    sock = socket.create_connection(("127.0.0.1", server.port), timeout=5)
    sock.sendall(b"POST /api/v1/locations/ijsselmonde/tickets HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                 b"Idempotency-Key: a\x01b\r\nContent-Length: 0\r\n\r\n")
    data = b""
    while chunk := sock.recv(65536):
        data += chunk
        if b"}" in chunk:
            break
    sock.close()
    head, _, body = data.partition(b"\r\n\r\n")
    assert head.startswith(b"HTTP/1.1 400")
    assert json.loads(body)["code"] in ("invalid_characters", "malformed_request")


def test_a_jwt_whose_client_id_holds_nul_is_401(api: Api, zgw_token: str, server: ThreadServer) -> None:
    now = int(server.app.state.ctx.now().timestamp())
    for client_id in ("behandel\x00aar", "behandelaar\n", "x" * 129):
        token = jwt.encode({"iss": client_id, "client_id": client_id, "iat": now}, SECRET, algorithm="HS256")
        response = api.get("/zaken/api/v1/zaken", headers={"Authorization": f"Bearer {token}"})
        assert refused(response, "not_authenticated"), response.text


@pytest.mark.parametrize("iat", [float("nan"), float("inf"), float("-inf"), 10**400, "1700000000", True])
def test_a_jwt_whose_iat_is_not_a_finite_number_is_401(api: Api, zgw_token: str, iat: object) -> None:
    token = jwt.encode({"iss": "behandelaar", "client_id": "behandelaar", "iat": iat}, SECRET, algorithm="HS256")
    response = api.get("/zaken/api/v1/zaken", headers={"Authorization": f"Bearer {token}"})
    assert refused(response, "not_authenticated"), response.text


def test_a_good_jwt_still_works(api: Api, zgw_token: str) -> None:
    response = api.get("/zaken/api/v1/zaken",
                       headers={"Authorization": f"Bearer {zgw_token}", "Accept-Crs": "EPSG:4326"})
    assert response.status_code == 200, response.text
