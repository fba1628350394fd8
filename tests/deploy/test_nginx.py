"""The shipped nginx site (deploy/nginx/gastvrij.conf) in front of two service processes on one
PostgreSQL database: live events cross processes, streams stay open through quiet spells, bodies
over the limit stop at nginx, TLS and HTTP/2 as configured, static files cached, links and logs right."""

from __future__ import annotations

import json
import shutil
import socket
import ssl
import subprocess
import time
import uuid

import pytest
import requests

from tests.support.live_server import wait_until
from tests.support.sse import SseReader

from .conftest import HEARTBEAT_SECONDS, IDLE_SECONDS, Stack
from .stack import missing_parts

pytestmark = [pytest.mark.postgres,
              pytest.mark.skipif(missing_parts() is not None, reason=str(missing_parts()))]

def test_a_display_through_nginx_sees_within_a_second_a_call_made_through_either_process(stack: Stack) -> None:
    display = SseReader(f"{stack.nginx.url}/api/v1/locations/ijsselmonde/events", verify=stack.nginx.certificate)
    try:
        # One of the processes is not the one the display's stream is on. Two desks: a second call
        # at one desk within the debounce time would answer the first call again.
        for process, desk in zip(stack.processes, ("balie-1", "balie-2"), strict=True):
            number = stack.post("/api/v1/locations/ijsselmonde/tickets", stack.kiosk, {"service": "paspoort"}
                                ).json()["number"]
            called_at = time.monotonic()
            response = requests.post(f"{process.url}/api/v1/locations/ijsselmonde/desks/{desk}/call-next",
                                     headers={"Authorization": f"Bearer {stack.desks[desk]}",
                                              "Idempotency-Key": str(uuid.uuid4())}, timeout=10)
            assert response.status_code == 200, response.text
            called = display.next("ticket.called", seconds=1.0)
            assert time.monotonic() - called_at < 1.0
            assert called.data["number"] == number
    finally:
        display.close()


def test_a_body_over_the_limit_gets_413_from_nginx_and_one_at_the_limit_reaches_the_service(stack: Stack) -> None:
    limit = 65536  # GASTVRIJ_MAX_BODY_BYTES and client_max_body_size 64k
    at_limit = json.dumps({"service": "paspoort", "padding": "x" * (limit - 40)}).ljust(limit)
    assert len(at_limit) == limit
    path = "/api/v1/locations/ijsselmonde/tickets"
    reached = stack.post(path, stack.kiosk, raw=at_limit.encode())
    assert reached.status_code == 422 and reached.headers["content-type"] == "application/problem+json"
    refused = stack.post(path, stack.kiosk, raw=(at_limit + " ").encode())
    assert refused.status_code == 413
    assert refused.headers["content-type"].startswith("text/html")  # nginx's own page: no process saw it
    assert "nginx" in refused.headers["server"]


def test_tls_is_http2_with_hsts_and_refuses_ciphers_without_forward_secrecy(stack: Stack) -> None:
    if shutil.which("curl") is None:
        pytest.skip("curl is not installed (Debian package curl)")
    answer = subprocess.run(["curl", "-s", "--http2", "--cacert", stack.nginx.certificate, "-D", "-", "-o",
                             "/dev/null", f"{stack.nginx.url}/api/v1/health"], capture_output=True, text=True,
                            timeout=30)
    head = answer.stdout.lower()
    assert head.startswith("http/2 200"), answer.stdout
    assert "strict-transport-security: max-age=63072000; includesubdomains" in head
    old = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    old.load_verify_locations(stack.nginx.certificate)
    old.maximum_version = ssl.TLSVersion.TLSv1_2
    old.set_ciphers("AES128-SHA:AES256-SHA:AES128-GCM-SHA256")  # RSA key exchange: no forward secrecy
    with pytest.raises(ssl.SSLError), socket.create_connection(("127.0.0.1", stack.nginx.https_port), timeout=5) \
            as connection, old.wrap_socket(connection, server_hostname="127.0.0.1"):
        pytest.fail("nginx accepted a cipher without forward secrecy")


def test_static_files_are_served_by_nginx_and_cached_for_a_year(stack: Stack) -> None:
    response = requests.get(f"{stack.nginx.url}/static/js/display.js?v=0123456789", verify=stack.nginx.certificate,
                            timeout=10)
    assert response.status_code == 200
    assert "public, immutable" in response.headers["cache-control"]
    assert "max-age=31536000" in response.headers["cache-control"]
    assert response.headers["content-type"].startswith("application/javascript")


def test_metrics_are_not_served_through_nginx(stack: Stack) -> None:
    ops = {"Authorization": f"Bearer {stack.ops}"}
    assert requests.get(f"{stack.nginx.url}/metrics", headers=ops, verify=stack.nginx.certificate,
                        timeout=10).status_code == 403
    assert requests.get(f"{stack.processes[0].url}/metrics", headers=ops, timeout=10).status_code == 200  # Prometheus


def test_links_use_the_address_the_visitor_used_and_the_log_has_the_client_but_no_ticket_id(stack: Stack) -> None:
    ticket = stack.post("/api/v1/locations/ijsselmonde/tickets", stack.kiosk, {"service": "paspoort"}).json()
    assert ticket["mobile_url"] == f"{stack.nginx.url}/t/{ticket['id']}"
    assert requests.get(ticket["mobile_url"], verify=stack.nginx.certificate, timeout=10).status_code == 200
    assert requests.get(f"{stack.nginx.url}/api/v1/tickets/{ticket['id']}", verify=stack.nginx.certificate,
                        timeout=10).status_code == 200

    def logged() -> list[dict[str, object]] | None:
        # nginx writes a request's line once its answer is sent, a moment after the client has it.
        lines = [json.loads(line) for line in stack.nginx.access_log().splitlines()]
        return lines if {"/t/{id}", "/api/v1/tickets/{id}"} <= {line["path"] for line in lines} else None

    lines = wait_until(logged, 5, what="the ticket pages in the access log")
    assert ticket["id"] not in stack.nginx.access_log()
    assert all(line["client"] == "127.0.0.1" for line in lines)


@pytest.mark.timeout(IDLE_SECONDS + 90)
def test_an_event_stream_stays_open_through_nginx_for_two_quiet_minutes(stack: Stack) -> None:
    # The stream was opened with the stack; the tests above worked on another location.
    remaining = IDLE_SECONDS - (time.monotonic() - stack.idle_since)
    if remaining > 0:
        time.sleep(remaining)  # the point of the test: two minutes in which nothing happens there
    assert stack.idle_stream.events.empty()
    assert stack.idle_stream.comments.count("heartbeat") >= IDLE_SECONDS / HEARTBEAT_SECONDS - 2
    issued = stack.post("/api/v1/locations/hoogvliet/tickets", stack.hoogvliet_kiosk, {"service": "paspoort"})
    assert issued.status_code == 201, issued.text
    assert stack.idle_stream.next("ticket.issued", seconds=1.0).data["number"] == issued.json()["number"]
