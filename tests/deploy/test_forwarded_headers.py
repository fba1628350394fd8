"""Behind a proxy the service builds its links from X-Forwarded-Proto, but believes it only from the
proxies in GASTVRIJ_FORWARDED_ALLOW_IPS."""

from __future__ import annotations

import uuid
from pathlib import Path

import requests

from .conftest import make_token


def mobile_url_through(server_url: str, token: str) -> str:
    response = requests.post(f"{server_url}/api/v1/locations/ijsselmonde/tickets", json={"service": "paspoort"},
                             headers={"Authorization": f"Bearer {token}", "Idempotency-Key": str(uuid.uuid4()),
                                      "Host": "gastvrij.rotterdam.example", "X-Forwarded-Proto": "https",
                                      "X-Forwarded-For": "203.0.113.7"}, timeout=10)
    assert response.status_code == 201, response.text
    return str(response.json()["mobile_url"])


def test_links_follow_the_forwarded_scheme_from_a_trusted_proxy_only(tmp_path: Path, start_server) -> None:  # type: ignore[no-untyped-def]
    database = f"sqlite:///{tmp_path / 'gastvrij.sqlite'}"
    token = make_token(database, "kiosk")
    hosts = {"GASTVRIJ_TRUSTED_HOSTS": "gastvrij.rotterdam.example,127.0.0.1,localhost"}  # the proxy passes the name on
    trusting = start_server(database, **hosts)  # default: the proxy on this machine (127.0.0.1)
    assert mobile_url_through(trusting.url, token).startswith("https://gastvrij.rotterdam.example/t/")
    trusting.stop()
    wary = start_server(database, GASTVRIJ_FORWARDED_ALLOW_IPS="10.20.0.5", **hosts)  # the proxy is elsewhere
    assert mobile_url_through(wary.url, token).startswith("http://gastvrij.rotterdam.example/t/")
