"""The mobile ticket's "tell me when it is nearly my turn" in Chromium: notifications are asked for
only when the visitor taps, the push service worker registers, and a push delivered to it (through
DevTools, as a push service would) is shown as a notification.

Chromium here cannot subscribe for real: a test's browser context is incognito, where Chrome has no
Push API, and its push service is Google's, out of reach. So ``pushManager.subscribe`` fails and the
page must say that messages could not be switched on (kept as an accepted outcome below).
The subscription and the encrypted push itself are tested against the service in tests/api/test_push.py."""

from __future__ import annotations

import json
import time

from playwright.sync_api import expect

from tests.support.live_server import wait_until


def test_the_push_button_asks_only_when_tapped_and_the_service_worker_shows_a_push(server, api, make_token,
                                                                                    open_screen):
    ticket = api.issue(make_token("kiosk"), "paspoort", language="en").json()
    screen = open_screen(f"{server.url}/t/{ticket['id']}", phone=True)
    page = screen.page
    button = page.locator("#push-button")
    expect(button).to_be_visible()
    assert page.evaluate("Notification.permission") == "default"  # nothing asked before the tap
    page.context.grant_permissions(["notifications"], origin=server.url)
    button.click()
    expect(page.locator("#push-status")).not_to_be_empty(timeout=10000)
    registration = "navigator.serviceWorker.getRegistration('/static/js/')"
    page.wait_for_function(f"{registration}.then(r => !!(r && r.active))", timeout=10000)
    status = page.locator("#push-status").text_content()
    assert status in ("Done: you will get a message when it is nearly your turn.",
                      "Messages could not be switched on. Keep this page open instead.")

    scope = page.evaluate(f"{registration}.then(r => r.scope)")
    cdp = page.context.new_cdp_session(page)
    registrations: list[dict[str, object]] = []
    cdp.on("ServiceWorker.workerRegistrationUpdated", lambda e: registrations.extend(e["registrations"]))
    cdp.send("ServiceWorker.enable")
    deadline = time.monotonic() + 5
    while not any(r["scopeURL"] == scope for r in registrations) and time.monotonic() < deadline:
        page.wait_for_timeout(50)  # CDP events arrive while Playwright waits
    ids = [r["registrationId"] for r in registrations if r["scopeURL"] == scope]
    assert ids, registrations
    payload = {"number": ticket["number"], "kind": "called", "desk": 3, "title": f"Your turn: {ticket['number']}",
               "body": "Please go to desk 3."}
    cdp.send("ServiceWorker.deliverPushMessage", {"origin": server.url, "registrationId": ids[0],
                                                  "data": json.dumps(payload)})
    # Polled from here: a predicate that answers a promise counts as true before the promise resolves.
    shown = wait_until(lambda: page.evaluate(f"""{registration}.then(r => r.getNotifications())
        .then(list => list.map(n => [n.title, n.body]))"""), 10, interval=0.05, what="the notification")
    assert shown == [[f"Your turn: {ticket['number']}", "Please go to desk 3."]]
    screen.expect_no_errors("push not available", "Registration failed", "push service",
                            "does not support the Push API in incognito mode")
