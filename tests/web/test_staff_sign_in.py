"""Signing in on the staff screens, and the API forwarding that keeps the token out of the page.
Plain HTTP: no browser needed. (``requests`` would not send a Secure cookie over http://, so the
tests send the Cookie header themselves, as the browser does on 127.0.0.1.)"""

from __future__ import annotations

import json

import pytest
import requests
from playwright.sync_api import expect

LOCATION = "/host/ijsselmonde"


def signed_in(api, token: str, screen: str = LOCATION) -> dict[str, str]:
    response = api.session.post(f"{api.base}{screen}/session", json={"token": token}, timeout=5)
    assert response.status_code == 204, response.text
    cookie = response.headers["set-cookie"]
    name, value = cookie.split(";")[0].split("=", 1)
    api.session.cookies.clear()
    return {"Cookie": f"{name}={value}"}


def test_the_token_is_kept_in_a_secure_httponly_strict_cookie_for_this_screen_only(api, make_token):
    response = api.session.post(f"{api.base}{LOCATION}/session", json={"token": make_token("host")}, timeout=5)
    assert response.status_code == 204
    attributes = [part.strip().lower() for part in response.headers["set-cookie"].split(";")]
    assert attributes[0].startswith("gastvrij_host=")
    assert {"httponly", "secure", "samesite=strict", f"path={LOCATION}", f"max-age={12 * 3600}"} <= set(attributes)


def test_a_token_of_another_role_or_location_or_an_unknown_one_cannot_sign_in(api, make_token):
    def code(token: str, screen: str = LOCATION) -> tuple[int, str]:
        response = api.session.post(f"{api.base}{screen}/session", json={"token": token}, timeout=5)
        assert response.headers["content-type"] == "application/problem+json"
        assert "set-cookie" not in response.headers
        return response.status_code, response.json()["code"]

    assert code(make_token("desk")) == (403, "wrong_role")
    assert code(make_token("host", "hoogvliet")) == (403, "wrong_location")
    assert code("no-such-token") == (401, "unknown_token")
    assert code(make_token("host"), "/desk/ijsselmonde") == (403, "wrong_role")
    assert api.session.post(f"{api.base}/desk/ijsselmonde/session", json={"token": make_token("desk")},
                            timeout=5).status_code == 204
    assert api.session.post(f"{api.base}{LOCATION}/session", json={"token": make_token("admin", None)},
                            timeout=5).status_code == 204


def test_the_pages_never_contain_the_token(api, make_token):
    host, desk = make_token("host"), make_token("desk")
    page = api.session.get(f"{api.base}{LOCATION}", headers=signed_in(api, host), timeout=5)
    assert page.status_code == 200 and 'id="issue-form"' in page.text
    assert host not in page.text
    page = api.session.get(f"{api.base}/desk/ijsselmonde/balie-1", timeout=5,
                           headers=signed_in(api, desk, "/desk/ijsselmonde"))
    assert page.status_code == 200 and 'id="call-next"' in page.text
    assert desk not in page.text
    assert "default-src 'self'" in page.headers["content-security-policy"]


def test_without_the_cookie_the_page_asks_to_sign_in_and_the_forwarded_api_refuses(api, make_token):
    page = api.session.get(f"{api.base}{LOCATION}", timeout=5)
    assert page.status_code == 200 and 'id="sign-in-form"' in page.text
    refused = api.session.get(f"{api.base}{LOCATION}/api/locations/ijsselmonde/assist-requests", timeout=5)
    assert refused.status_code == 401 and refused.json()["code"] == "signed_out"
    refused = api.session.get(f"{api.base}{LOCATION}/events", timeout=5)
    assert refused.status_code == 401


def test_the_forwarded_api_acts_as_the_signed_in_host_on_its_own_location_only(api, make_token):
    cookie = signed_in(api, make_token("host"))
    base = f"{api.base}{LOCATION}/api"
    assert api.session.get(f"{base}/locations/ijsselmonde/assist-requests", headers=cookie, timeout=5).json() == []
    queue = api.session.get(f"{base}/locations/ijsselmonde/queue", headers=cookie, timeout=5).json()
    assert queue["tickets"] == [], "a host sees the waiting tickets one by one"
    for elsewhere in ("locations/hoogvliet/queue", "devices/me", "../../metrics"):
        assert api.session.get(f"{base}/{elsewhere}", headers=cookie, timeout=5).status_code == 404, elsewhere

    body = {"service": "paspoort", "language": "en"}
    headers = {**cookie, "Idempotency-Key": "host-issue-1"}
    first = api.session.post(f"{base}/locations/ijsselmonde/tickets", json=body, headers=headers, timeout=5)
    again = api.session.post(f"{base}/locations/ijsselmonde/tickets", json=body, headers=headers, timeout=5)
    assert first.status_code == 201 and first.json()["channel"] == "host"
    assert again.json()["id"] == first.json()["id"], "the same Idempotency-Key gives the same ticket"


def test_a_request_from_another_site_is_refused_even_with_the_cookie(api, make_token):
    cookie = signed_in(api, make_token("host"))
    url = f"{api.base}{LOCATION}/api/locations/ijsselmonde/tickets"
    for foreign in ({"Sec-Fetch-Site": "cross-site"}, {"Origin": "https://elsewhere.example"}):
        refused = api.session.post(url, json={"service": "paspoort"}, headers={**cookie, **foreign}, timeout=5)
        assert (refused.status_code, refused.json()["code"]) == (403, "cross_site")
    assert api.session.get(f"{api.base}/api/v1/locations/ijsselmonde/queue", timeout=5).json()["services"][0][
        "waiting"] == 0


def test_the_host_stream_through_the_cookie_carries_assist_requests(api, make_token):
    cookie = signed_in(api, make_token("host"))
    stream = requests.get(f"{api.base}{LOCATION}/events", headers={**cookie, "Accept": "text/event-stream"},
                          stream=True, timeout=(5, 10))
    assert stream.status_code == 200
    assert stream.headers["content-type"].startswith("text/event-stream")
    api.post("/api/v1/locations/ijsselmonde/assist-requests", make_token("kiosk"), {"reason": "printer"}, key="k1")
    event = None
    for line in stream.iter_lines(decode_unicode=True):
        if line.startswith("event:"):
            event = line[6:].strip()
        elif line.startswith("data:") and event == "assist.requested":
            assert json.loads(line[5:])["reason"] == "printer"
            break
    else:
        raise AssertionError("no assist.requested on the host stream")
    stream.close()


def test_signing_out_forgets_the_cookie(api, make_token):
    response = api.session.delete(f"{api.base}{LOCATION}/session", headers=signed_in(api, make_token("host")),
                                  timeout=5)
    assert response.status_code == 204
    attributes = [part.strip().lower() for part in response.headers["set-cookie"].split(";")]
    assert attributes[0] == 'gastvrij_host=""' and "max-age=0" in attributes and f"path={LOCATION}" in attributes


# ---------------------------------------------------------------------------------------------------
# In Chromium: the sign-in form with and without JavaScript. The token goes only into a POST body.


@pytest.mark.parametrize("javascript", [False, True], ids=["without JavaScript", "with JavaScript"])
def test_chromium_signs_in_by_the_form_and_the_token_never_reaches_an_address(server, make_token, open_screen,
                                                                              javascript: bool):
    token = make_token("desk", name="balie-twee")
    page_url = f"{server.url}/desk/ijsselmonde/balie-2"
    screen = open_screen(page_url, java_script_enabled=javascript)
    page = screen.page
    sent: list[tuple[str, str, str]] = []
    page.on("request", lambda r: sent.append((r.method, r.url, r.post_data or "")))

    page.fill("#token", token)
    page.click("#sign-in-form button[type=submit]")
    expect(page.locator(".signed-in")).to_contain_text("balie-twee")

    assert page.url == page_url
    assert all(token not in url for _, url, _ in sent), "the token is in no address"
    assert any(method == "POST" and token in body for method, _, body in sent), "the token went in a POST body"
    cookie = next(c for c in page.context.cookies() if c["name"] == "gastvrij_desk")
    assert cookie["value"] != token, "the cookie holds the session's own secret"
    assert cookie["httpOnly"] and cookie["secure"] and cookie["sameSite"] == "Strict"
    assert cookie["path"] == "/desk/ijsselmonde"
    if javascript:
        screen.expect_no_errors()


def test_chromium_without_javascript_is_told_why_a_token_cannot_sign_in(server, make_token, open_screen):
    screen = open_screen(f"{server.url}/host/ijsselmonde?lang=en", java_script_enabled=False)
    page = screen.page
    page.fill("#token", make_token("host", "hoogvliet"))
    page.click("#sign-in-form button[type=submit]")
    expect(page.locator("#sign-in-error")).to_have_text(
        "This token belongs to another location. Use a token of this location.")
    expect(page.locator("#token")).to_have_attribute("aria-invalid", "true")
    assert not [c for c in page.context.cookies() if c["name"] == "gastvrij_host"]
