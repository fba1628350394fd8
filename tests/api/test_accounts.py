"""People sign in as themselves: local accounts (argon2id, lock-out, TOTP, disable, new password),
their server-side sessions (per-role idle and absolute limits, sign out, sign out everywhere), the
anti-forgery token on every change from a page, ``next`` kept on this site, and the manager's
device-token page. Real parts: the server on loopback, SQLite and PostgreSQL."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pyotp
import pytest
import requests
from sqlalchemy import select

from queue_ticketing.domain.clock import FixedClock
from queue_ticketing.services.accounts import WeakPassword, create_account, disable_account, enable_totp, set_password
from queue_ticketing.settings import Settings
from queue_ticketing.store.database import Database
from queue_ticketing.store.schema import audit_events, staff_accounts
from queue_ticketing.store.unit_of_work import OPERATOR
from queue_ticketing.store.write_batch import write_alone
from tests.support.live_server import wait_until
from tests.support.people import (
    FORM,
    PASSWORD,
    SAME_SITE,
    add_person,
    set_cookie_header,
    sign_in,
    try_sign_in,
)

LOC = "ijsselmonde"


@pytest.fixture
def db(settings: Settings, server: object) -> Iterator[Database]:
    database = Database(settings.database_url)
    yield database
    database.dispose()


def actions(db: Database) -> list[tuple[str, str, str]]:
    with db.read() as conn:
        return [(r.action, r.actor_name, r.actor_kind) for r in conn.execute(
            select(audit_events).order_by(audit_events.c.seq))]


def test_a_clerk_signs_in_lands_on_the_desk_picker_and_the_desk_page_shows_their_name(api, db, clock) -> None:
    add_person(db, clock, "anna@rotterdam.nl", "desk", name="Anna de Vries")
    response = try_sign_in(api.base, "Anna@Rotterdam.nl")
    assert response.status_code == 303 and response.headers["location"] == f"/desk/{LOC}"
    cookie = set_cookie_header(response, "gastvrij_staff")
    for attribute in ("HttpOnly", "Secure", "SameSite=strict", "Path=/"):
        assert attribute.lower() in cookie.lower(), cookie
    person = sign_in(api.base, "anna@rotterdam.nl")
    picker = person.get(f"/desk/{LOC}")
    assert picker.status_code == 200 and f'href="/desk/{LOC}/balie-2"' in picker.text
    page = person.get(f"/desk/{LOC}/balie-2?lang=en")
    assert page.status_code == 200 and 'id="call-next"' in page.text
    assert "Signed in as Anna de Vries" in page.text
    assert person.get(f"/host/{LOC}").status_code == 303, "a clerk is no host"
    assert ("sign_in", "Anna de Vries", "person") in actions(db)


def test_a_staff_page_sends_a_person_not_signed_in_to_sign_in_with_next(api) -> None:
    page = requests.get(f"{api.base}/desk/{LOC}/balie-1", allow_redirects=False, timeout=10)
    assert page.status_code == 303 and page.headers["location"] == f"/sign-in?next=/desk/{LOC}/balie-1"
    page = requests.get(f"{api.base}/manage/{LOC}/audit", allow_redirects=False, timeout=10)
    assert page.headers["location"] == f"/sign-in?next=/manage/{LOC}/audit"


@pytest.mark.parametrize("next_path", ["//evil.example/x", "https://evil.example/", "/\\evil.example", "javascript:x"])
def test_next_is_followed_only_to_an_address_of_this_site(api, db, clock, next_path: str) -> None:
    add_person(db, clock, "bob@rotterdam.nl", "host")
    response = try_sign_in(api.base, "bob@rotterdam.nl", next_path=next_path)
    assert response.status_code == 303 and response.headers["location"] == f"/host/{LOC}"


def test_a_wrong_password_is_refused_and_repeated_failures_lock_the_account(api, db, clock: FixedClock) -> None:
    add_person(db, clock, "carla@rotterdam.nl", "host")
    for _ in range(5):
        refused = try_sign_in(api.base, "carla@rotterdam.nl", "not the password!")
        assert refused.status_code == 401 and "gastvrij_staff" not in refused.headers.get("set-cookie", "")
    locked = try_sign_in(api.base, "carla@rotterdam.nl")
    assert locked.status_code == 429, "locked: even the right password is refused"
    clock.advance(minutes=14)
    assert try_sign_in(api.base, "carla@rotterdam.nl").status_code == 429
    clock.advance(minutes=2)
    assert try_sign_in(api.base, "carla@rotterdam.nl").status_code == 303
    assert try_sign_in(api.base, "nobody@rotterdam.nl").status_code == 401
    recorded = [a for a in actions(db) if a[0] == "sign_in.failed"]
    assert len(recorded) == 8  # five wrong, two while locked, and the unknown address
    assert sum(1 for a in recorded if a[1] == "Carla") == 7


def test_a_password_has_at_least_twelve_characters(db, clock) -> None:
    with pytest.raises(WeakPassword):
        write_alone(db, clock, lambda uow: create_account(uow, "d@rotterdam.nl", "D", "desk", LOC, "short pass"))


def test_the_totp_second_factor_is_asked_and_checked(api, db, clock: FixedClock) -> None:
    add_person(db, clock, "dirk@rotterdam.nl", "manager")
    uri = write_alone(db, clock, lambda uow: enable_totp(uow, "dirk@rotterdam.nl"), OPERATOR)
    totp = pyotp.parse_uri(uri)
    asked = try_sign_in(api.base, "dirk@rotterdam.nl")
    assert asked.status_code == 401 and 'id="code"' in asked.text and "autofocus" in asked.text
    wrong = str((int(totp.at(clock())) + 1) % 1_000_000).zfill(6)
    assert try_sign_in(api.base, "dirk@rotterdam.nl", code=wrong).status_code == 401
    person = sign_in(api.base, "dirk@rotterdam.nl", code=totp.at(clock()))
    assert person.landing == f"/manage/{LOC}"


def test_disabling_an_account_ends_its_sessions_and_its_sign_in(api, db, clock) -> None:
    add_person(db, clock, "eva@rotterdam.nl", "host")
    person = sign_in(api.base, "eva@rotterdam.nl")
    assert person.get(f"/host/{LOC}").status_code == 200
    write_alone(db, clock, lambda uow: disable_account(uow, "eva@rotterdam.nl"), OPERATOR)
    wait_until(lambda: person.get(f"/host/{LOC}").status_code == 303, what="the session refused")
    assert try_sign_in(api.base, "eva@rotterdam.nl").status_code == 401


def test_a_new_password_ends_the_sessions_and_replaces_the_old_one(api, db, clock) -> None:
    add_person(db, clock, "frank@rotterdam.nl", "host")
    person = sign_in(api.base, "frank@rotterdam.nl")
    write_alone(db, clock, lambda uow: set_password(uow, "frank@rotterdam.nl", "a much newer passphrase"), OPERATOR)
    wait_until(lambda: person.get(f"/host/{LOC}").status_code == 303, what="the session refused")
    assert try_sign_in(api.base, "frank@rotterdam.nl").status_code == 401
    assert try_sign_in(api.base, "frank@rotterdam.nl", "a much newer passphrase").status_code == 303


def test_sessions_end_at_the_idle_limit_of_their_role(api, db, clock: FixedClock) -> None:
    add_person(db, clock, "gert@rotterdam.nl", "desk")
    add_person(db, clock, "hanna@rotterdam.nl", "manager")
    clerk, manager = sign_in(api.base, "gert@rotterdam.nl"), sign_in(api.base, "hanna@rotterdam.nl")
    clock.advance(minutes=31)
    assert clerk.get(f"/desk/{LOC}/balie-1").status_code == 200
    ended = manager.get(f"/manage/{LOC}")
    assert ended.status_code == 303 and "ended=1" in ended.headers["location"], "a manager is idle after 30 min"
    clock.advance(minutes=121)
    assert clerk.get(f"/desk/{LOC}/balie-1").status_code == 303, "a clerk is idle after 120 min"


def test_signing_out_everywhere_ends_every_session_of_the_person(api, db, clock) -> None:
    add_person(db, clock, "ines@rotterdam.nl", "host")
    first, second = sign_in(api.base, "ines@rotterdam.nl"), sign_in(api.base, "ines@rotterdam.nl")
    csrf = first.csrf(f"/host/{LOC}")
    done = requests.post(f"{api.base}/sign-out/everywhere", data={"csrf": csrf}, allow_redirects=False, timeout=10,
                         headers={**FORM, **first.cookie})
    assert done.status_code == 303 and done.headers["location"] == "/sign-in"
    assert first.get(f"/host/{LOC}").status_code == 303
    assert second.get(f"/host/{LOC}").status_code == 303
    assert ("sign_out.everywhere", "Ines", "person") in actions(db)


def test_an_admin_signs_someone_else_out_everywhere(api, db, clock) -> None:
    add_person(db, clock, "jan@rotterdam.nl", "host")
    add_person(db, clock, "root@rotterdam.nl", "admin")
    host, admin = sign_in(api.base, "jan@rotterdam.nl"), sign_in(api.base, "root@rotterdam.nl")
    csrf = admin.csrf(f"/manage/{LOC}")
    done = requests.post(f"{api.base}/sign-out/everywhere", data={"csrf": csrf, "email": "jan@rotterdam.nl"},
                         allow_redirects=False, timeout=10, headers={**FORM, **admin.cookie})
    assert done.status_code == 303
    assert host.get(f"/host/{LOC}").status_code == 303
    assert admin.get(f"/manage/{LOC}").status_code == 200
    refused = requests.post(f"{api.base}/sign-out/everywhere", data={"csrf": "stale", "email": "root@rotterdam.nl"},
                            allow_redirects=False, timeout=10, headers={**FORM, **host.cookie})
    assert refused.status_code == 303 and refused.headers["location"] == "/sign-in", "a host signed out is nobody"


def test_every_change_from_a_page_needs_the_anti_forgery_token(api, db, clock, make_token) -> None:
    add_person(db, clock, "karin@rotterdam.nl", "desk")
    person = sign_in(api.base, "karin@rotterdam.nl")
    csrf = person.csrf(f"/desk/{LOC}/balie-1")
    api.issue(make_token("kiosk"))
    call = f"/desk/{LOC}/api/locations/{LOC}/desks/balie-1/call-next"
    refused = requests.post(f"{api.base}{call}", headers={**person.cookie, **SAME_SITE}, timeout=10)
    assert refused.status_code == 403 and refused.json()["code"] == "csrf"
    forged = requests.post(f"{api.base}{call}", timeout=10,
                           headers={**person.cookie, **SAME_SITE, "X-CSRF-Token": "0" * 64})
    assert forged.status_code == 403
    direct = requests.post(f"{api.base}/api/v1/locations/{LOC}/desks/balie-1/open", headers=person.cookie,
                           timeout=10)
    assert direct.status_code == 403 and direct.json()["reason"] == "csrf"
    called = requests.post(f"{api.base}{call}", timeout=10,
                           headers={**person.cookie, **SAME_SITE, "X-CSRF-Token": csrf})
    assert called.status_code == 200 and called.json()["status"] == "called"
    assert requests.post(f"{api.base}/sign-out", data={}, headers={**FORM, **person.cookie}, timeout=10,
                         allow_redirects=False).status_code == 403
    no_form_token = requests.post(f"{api.base}/sign-in", data={"email": "karin@rotterdam.nl", "password": PASSWORD},
                                  headers=FORM, timeout=10, allow_redirects=False)
    assert no_form_token.status_code == 403
    signed_out = requests.post(f"{api.base}/sign-out", data={"csrf": csrf}, headers={**FORM, **person.cookie},
                               timeout=10, allow_redirects=False)
    assert signed_out.status_code == 303 and person.get(f"/desk/{LOC}/balie-1").status_code == 303
    recorded = actions(db)
    assert ("ticket.called", "Karin", "person") in recorded and ("sign_out", "Karin", "person") in recorded


def test_a_manager_creates_a_device_token_shown_once_and_revokes_it(api, db, clock) -> None:
    add_person(db, clock, "lotte@rotterdam.nl", "manager", name="Lotte Bakker")
    manager = sign_in(api.base, "lotte@rotterdam.nl")
    csrf = manager.csrf(f"/manage/{LOC}")
    made = requests.post(f"{api.base}/manage/{LOC}/devices", data={"csrf": csrf, "role": "kiosk", "name": "kiosk-hal"},
                         headers={**FORM, **manager.cookie}, timeout=10)
    token = re.search(r'<output id="new-token">([^<]+)</output>', made.text)
    assert made.status_code == 200 and token
    assert requests.get(f"{api.base}/api/v1/devices/me", headers={"Authorization": f"Bearer {token.group(1)}"},
                        timeout=10).json()["name"] == "kiosk-hal"
    again = manager.get(f"/manage/{LOC}")
    assert token.group(1) not in again.text and "kiosk-hal" in again.text
    device = re.search(r'/manage/ijsselmonde/devices/([0-9a-f]+)/revoke', again.text)
    assert device
    revoked = requests.post(f"{api.base}{device.group(0)}", data={"csrf": csrf}, headers={**FORM, **manager.cookie},
                            timeout=10)
    assert revoked.status_code == 200
    wait_until(lambda: requests.get(f"{api.base}/api/v1/devices/me", timeout=10,
                                    headers={"Authorization": f"Bearer {token.group(1)}"}).status_code == 401)
    recorded = actions(db)
    assert ("token.created", "Lotte Bakker", "person") in recorded
    assert ("token.revoked", "Lotte Bakker", "person") in recorded
    other = requests.post(f"{api.base}/manage/hoogvliet/devices", data={"csrf": csrf, "role": "kiosk"},
                          headers={**FORM, **manager.cookie}, timeout=10)
    assert other.status_code == 401, "another location's devices are not hers"


def test_a_manager_makes_a_desk_token_for_one_desk_of_the_location(api, db, clock, make_token) -> None:
    add_person(db, clock, "lotte@rotterdam.nl", "manager", name="Lotte Bakker")
    manager = sign_in(api.base, "lotte@rotterdam.nl")
    csrf = manager.csrf(f"/manage/{LOC}")

    def make(fields: dict[str, str]) -> requests.Response:
        return requests.post(f"{api.base}/manage/{LOC}/devices", data={"csrf": csrf, **fields},
                             headers={**FORM, **manager.cookie}, timeout=10)

    made = make({"role": "desk", "desk": "balie-2", "name": "balie-2-pc"})
    token = re.search(r'<output id="new-token">([^<]+)</output>', made.text)
    assert made.status_code == 200 and token
    api.issue(make_token("kiosk"), "paspoort")
    refused = api.call_next(token.group(1), "balie-1")
    assert (refused.status_code, refused.json()["code"]) == (403, "wrong_desk")
    assert api.call_next(token.group(1), "balie-2").status_code == 200
    assert make({"role": "kiosk", "desk": "balie-2"}).status_code == 422
    assert make({"role": "desk", "desk": "balie-99"}).status_code == 422


def test_passwords_are_stored_as_argon2id_hashes_only(db, clock) -> None:
    add_person(db, clock, "mo@rotterdam.nl", "desk")
    with db.read() as conn:
        stored = conn.execute(select(staff_accounts.c.password_hash)).scalar_one()
    assert stored.startswith("$argon2id$") and PASSWORD not in stored


def test_an_unknown_address_costs_the_same_argon2id_check_as_a_known_one() -> None:
    from argon2 import extract_parameters

    from queue_ticketing.services.accounts import _UNKNOWN, HASHER

    assert extract_parameters(_UNKNOWN) == extract_parameters(HASHER.hash(PASSWORD))
