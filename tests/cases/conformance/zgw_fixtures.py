"""The other ZGW APIs VNG's test collections talk to, as a small loopback server: a token issuer (it
registers the client with the service under test, as the test platform's Autorisaties API would), a
writable in-memory Catalogi API (the collections create their own zaaktypen), the Referentielijsten
API's selectielijst, a mock that answers 200 or 404, and Documenten, Besluiten and Autorisaties stores.

Only what the collections need, kept in memory for one run."""

from __future__ import annotations

import json
import secrets
import threading
import time
import uuid
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit

import jwt

Register = Callable[[str, str, bool, list[dict[str, Any]]], None]
"""(client_id, secret, heeftAlleAutorisaties, autorisaties) → the client exists in the service."""

PARENT_LISTS = {"statustypen": "statustypen", "resultaattypen": "resultaattypen", "roltypen": "roltypen",
                "eigenschappen": "eigenschappen"}
DRAFTS = ("zaaktypen", "besluittypen", "informatieobjecttypen")


class Fixtures:
    def __init__(self, register: Register) -> None:
        self.register = register
        self.store: dict[str, dict[str, dict[str, Any]]] = {}
        self.secrets: dict[str, str] = {}
        self.lock = threading.Lock()
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self.thread = threading.Thread(target=self.server.serve_forever, name="zgw-fixtures", daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}"

    def start(self) -> Fixtures:
        self.thread.start()
        return self

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()

    # -- the resources

    def _selectielijst(self) -> dict[str, Any]:
        procestype = f"{self.url}/ref/api/v1/procestypen/{uuid.UUID(int=1)}"
        results = [{"url": f"{self.url}/ref/api/v1/resultaten/{uuid.UUID(int=n)}", "procesType": procestype,
                    "procestermijn": termijn, "nummer": n, "naam": termijn, "waardering": "vernietigen",
                    "bewaartermijn": "P10Y"}
                   for n, termijn in enumerate(("nihil", "ingeschatte_bestaansduur_procesobject",
                                                "vast_te_leggen_datum"), start=1)]
        return {"count": len(results), "next": None, "previous": None, "results": results}

    def _create(self, api: str, collection: str, body: dict[str, Any]) -> dict[str, Any]:
        item_uuid = str(uuid.uuid4())
        item = {**body, "url": f"{self.url}/{api}/api/v1/{collection}/{item_uuid}", "uuid": item_uuid}
        if collection in DRAFTS:
            item["concept"] = True
        if collection == "zaaktypen":
            for name in ("statustypen", "resultaattypen", "roltypen", "eigenschappen"):
                item[name] = []
        if collection == "catalogussen":
            item.update(zaaktypen=[], besluittypen=[], informatieobjecttypen=[])
        with self.lock:
            self.store.setdefault(collection, {})[item["url"]] = item
            catalogus = self.store.get("catalogussen", {}).get(str(body.get("catalogus")))
            if catalogus is not None and collection in ("zaaktypen", "besluittypen", "informatieobjecttypen"):
                catalogus[collection].append(item["url"])
            parent = self.store.get("zaaktypen", {}).get(str(body.get("zaaktype")))
            if parent is not None and collection in PARENT_LISTS:
                parent[PARENT_LISTS[collection]].append(item["url"])
                if collection == "statustypen":
                    types = [self.store["statustypen"][u] for u in parent["statustypen"]]
                    highest = max(int(t.get("volgnummer") or 0) for t in types)
                    for statustype in types:
                        statustype["isEindstatus"] = int(statustype.get("volgnummer") or 0) == highest
        return item

    def _list(self, collection: str, query: dict[str, list[str]]) -> dict[str, Any]:
        with self.lock:
            items = list(self.store.get(collection, {}).values())
        for key, values in query.items():
            if key in ("page", "status"):
                continue
            items = [i for i in items if str(i.get(key)) == values[0] or (
                isinstance(i.get(key), list) and values[0] in i[key])]
        return {"count": len(items), "next": None, "previous": None, "results": items}

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        fixtures = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, format: str, *args: Any) -> None:
                return

            def _send(self, status: int, body: Any = None) -> None:
                data = b"" if body is None else json.dumps(body).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def _body(self) -> dict[str, Any]:
                length = int(self.headers.get("Content-Length") or 0)
                try:
                    parsed = json.loads(self.rfile.read(length) or b"{}")
                except ValueError:
                    return {}
                return parsed if isinstance(parsed, dict) else {}

            def _route(self, method: str) -> None:
                parts = urlsplit(self.path)
                segments = [s for s in parts.path.split("/") if s]
                query = parse_qs(parts.query)
                url = f"{fixtures.url}{parts.path}".rstrip("/")
                if segments[:1] == ["token-issuer"]:
                    self._issue(self._body())
                elif segments[:1] == ["mock"] and segments[1:2] == ["communicatiekanaal"]:
                    self._send(200, {"url": url, "naam": "e-mail", "omschrijving": "Per e-mail"})
                elif segments[:1] == ["mock"]:
                    self._send(200 if segments[1:2] == ["200"] else 404, {"mock": True})
                elif segments[:1] == ["ref"]:
                    if "resultaattypeomschrijvingen" in segments:
                        self._send(200, [{"url": f"{fixtures.url}/ref/api/v1/resultaattypeomschrijvingen/"
                                                 "e6a0c939-3404-45b0-88e3-76c94fb80ea7", "omschrijving": "Afgebroken"}])
                    else:
                        self._send(200, fixtures._selectielijst())
                elif len(segments) >= 4 and segments[1:3] == ["api", "v1"]:
                    self._resource(method, segments[0], segments[3:], url, query)
                else:
                    self._send(404, {"detail": "not here"})

            def _resource(self, method: str, api: str, rest: list[str], url: str, query: dict[str, list[str]]) -> None:
                collection = rest[0]
                if len(rest) == 1:
                    if method == "POST":
                        self._send(201, fixtures._create(api, collection, self._body()))
                    else:
                        self._send(200, fixtures._list(collection, query))
                    return
                item_url = url.removesuffix("/publish").removesuffix("/lock").removesuffix("/unlock")
                with fixtures.lock:
                    item = fixtures.store.get(collection, {}).get(item_url)
                if item is None:
                    self._send(404, {"detail": "not found"})
                elif method == "DELETE":
                    with fixtures.lock:
                        fixtures.store[collection].pop(item_url, None)
                    self._send(204)
                elif rest[-1] == "publish":
                    item["concept"] = False
                    self._send(200, item)
                elif rest[-1] in ("lock", "unlock"):
                    self._send(200, {"lock": secrets.token_hex(8)})
                elif method in ("PUT", "PATCH"):
                    item.update(self._body())
                    self._send(200, item)
                else:
                    self._send(200, item)

            def _issue(self, body: dict[str, Any]) -> None:
                client_id = (body.get("clientIds") or [secrets.token_hex(8)])[0]
                # A client keeps its secret, as in an Autorisaties API (the service caches clients briefly)
                secret = fixtures.secrets.setdefault(client_id, secrets.token_urlsafe(32))
                fixtures.register(client_id, secret, bool(body.get("heeftAlleAutorisaties")),
                                  list(body.get("autorisaties") or []))
                token = jwt.encode({"iss": client_id, "client_id": client_id, "iat": int(time.time()),
                                    "user_id": "tester", "user_representation": "Tester"}, secret,
                                   algorithm="HS256")
                applicatie = fixtures._create("ac", "applicaties", {"clientIds": [client_id],
                                                                     "label": body.get("label", "")})
                self._send(200, {"clientId": client_id, "secret": secret, "authorization": f"Bearer {token}",
                                 "url": applicatie["url"]})

            def do_GET(self) -> None:
                self._route("GET")

            def do_POST(self) -> None:
                self._route("POST")

            def do_PUT(self) -> None:
                self._route("PUT")

            def do_PATCH(self) -> None:
                self._route("PATCH")

            def do_DELETE(self) -> None:
                self._route("DELETE")

        return Handler
