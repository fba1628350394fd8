"""Who may call what: every /api/v1 endpoint and /metrics × every role × (own location, another
location), no token, a bad token.

The expectation comes from MATRIX below, a table written by hand from DESIGN.md ("Auth"), not from
the code's PERMISSIONS. More tests keep table and code honest: where a row names the permission the
code checks, its roles must equal the permission's roles and its answer elsewhere must follow the
permission's scope; and every route the app's OpenAPI document lists under /api/v1 must have a row
(and every row a route), so a new endpoint without a matrix entry fails here. Signing in on the
staff screens is walked the same way at the end.

After every successful call the next caller gets a freshly prepared resource (a new ticket,
appointment or assist request, made with the admin token), so an allowed caller must get a 2xx, not
merely "something other than 401/403"; a refused caller must get exactly 401 or 403.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
import requests

from queue_ticketing.domain.identity import CITY_WIDE_ROLES
from queue_ticketing.domain.identity import ROLES as CODE_ROLES
from queue_ticketing.domain.permissions import PERMISSIONS, Scope
from tests.api.conftest import CITY_WIDE, DESK_OF_DESK, ELSEWHERE, HOME, PERSON_ONLY, ROLES, World, new_key
from tests.conftest import credential_headers

# ---------------------------------------------------------------------------------------------------
# The matrix. Role sets are spelled out per row on purpose: this is the table a reviewer reads.

PUBLIC = None
"""No token needed; any valid token is also fine."""

ALLOWED, HIDDEN, FORBIDDEN = "allowed (2xx)", "hidden (404)", "403"
"""What a role that the row allows gets when its token belongs to another location:
FORBIDDEN for endpoints addressed by location; HIDDEN for endpoints addressed by an unguessable id
(a ticket or appointment of another location does not exist for that device); ALLOWED where the
endpoint has no location at all."""


@dataclass(frozen=True)
class Row:
    method: str
    path: str
    """The route template exactly as in /openapi.json."""
    who: str
    """Roles allowed at their own location, space-separated; "public" for no token needed."""
    permission: str | None = None
    """The PERMISSIONS entry the code checks for this row (None: public or token-only)."""
    variant: str = ""
    elsewhere: str = FORBIDDEN
    narrower: str = ""
    """Roles outside ``who`` that hold a narrower permission on the same endpoint: at their own
    location they get 409 (what they asked for is not theirs to do, e.g. a time that is not a free
    slot), not 403."""
    other_desk: str = ""
    """Roles of ``who`` that act only at their own desk, where this row's desk, or the desk of its
    ticket, is not theirs (another desk, or none for a waiting ticket): at their own location they
    get 403. Rows without it address the desk's own desk (:data:`DESK_OF_DESK`) or its ticket."""

    @property
    def roles(self) -> frozenset[str] | None:
        if self.who == "public":
            return PUBLIC
        names = frozenset(self.who.split())
        assert names <= set(ROLES), f"{self.id}: not a role: {sorted(names - set(ROLES))}"
        return names

    @property
    def id(self) -> str:
        return f"{self.method} {self.path}" + (f" [{self.variant}]" if self.variant else "")


V1 = "/api/v1"
LOC = f"{V1}/locations/{{location}}"
DESK = f"{LOC}/desks/{{desk}}"
TICKET = f"{V1}/tickets/{{ticket_id}}"
ACTION = f"{TICKET}/{{action}}"
ASSIST = f"{LOC}/assist-requests"
BLOCKS = f"{LOC}/number-blocks"
ALL = " ".join(ROLES)

MATRIX: tuple[Row, ...] = (
    # method path                       who may (at their own location)  permission           variant      elsewhere
    Row("GET", f"{V1}/health",          "public"),
    Row("GET", f"{V1}/locations",       "public"),
    Row("GET", LOC,                     "public"),
    Row("GET", f"{LOC}/queue",          "public"),
    Row("GET", f"{LOC}/events",         "public"),
    Row("GET", f"{LOC}/events",         "host manager admin",            "events.hosts",      "scope=hosts"),
    Row("GET", TICKET,                  "public"),
    Row("POST", f"{LOC}/tickets",       "kiosk robot host manager admin", "ticket.issue"),
    Row("POST", f"{LOC}/tickets",       "host manager admin",            "ticket.priority",   "priority"),
    Row("POST", f"{DESK}/call-next",    "desk manager admin",            "desk.call"),
    Row("POST", f"{DESK}/call-next",    "desk manager admin",            "desk.call",         "another desk",
        other_desk="desk"),
    Row("POST", f"{DESK}/{{state}}",    "desk host manager admin",       "desk.open",         "open"),
    Row("POST", f"{DESK}/{{state}}",    "desk host manager admin",       "desk.open",         "close"),
    Row("POST", f"{DESK}/{{state}}",    "desk host manager admin",       "desk.open",         "open another desk",
        other_desk="desk"),
    Row("POST", ACTION,                 "desk host manager admin",       "ticket.act",        "recall",    HIDDEN),
    Row("POST", ACTION,                 "desk host manager admin",       "ticket.act",        "start",     HIDDEN),
    Row("POST", ACTION,                 "desk host manager admin",       "ticket.act",        "finish",    HIDDEN),
    Row("POST", ACTION,                 "desk host manager admin",       "ticket.act",        "no-show",   HIDDEN),
    Row("POST", ACTION,                 "desk host manager admin",       "ticket.act",        "cancel",    HIDDEN),
    Row("POST", ACTION,                 "desk host manager admin",       "ticket.act",        "requeue",   HIDDEN),
    Row("POST", ACTION,                 "desk host manager admin",       "ticket.act",        "transfer",  HIDDEN),
    Row("POST", ACTION,                 "desk host manager admin",       "ticket.act",        "add-service", HIDDEN),
    Row("POST", ACTION,                 "desk host manager admin",       "ticket.act",        "finish at another desk",
        HIDDEN, other_desk="desk"),
    Row("POST", ACTION,                 "desk host manager admin",       "ticket.act",
        "add-service at another desk", HIDDEN, other_desk="desk"),
    Row("POST", ACTION,                 "desk host manager admin",       "ticket.act",        "add-service waiting",
        HIDDEN, other_desk="desk"),
    Row("POST", ACTION,                 "desk host manager admin",       "ticket.act",        "transfer waiting",
        HIDDEN, other_desk="desk"),
    Row("POST", ACTION,                 "desk host manager admin",       "ticket.act",        "cancel waiting",
        HIDDEN, other_desk="desk"),
    Row("POST", ACTION,                 "host manager admin",            "ticket.priority",   "priority",  HIDDEN),
    Row("GET", f"{TICKET}/timeline",    "desk host manager admin",       "ticket.timeline",   "",          HIDDEN),
    Row("POST", f"{V1}/appointments",   "integration admin",             "appointment.book",  "any time",
        narrower="kiosk robot host manager"),
    Row("POST", f"{V1}/appointments",   "kiosk robot host manager integration admin",
                                                                         "appointment.book_slot", "free slot"),
    Row("GET", f"{LOC}/slots",          "public"),
    # Web Push: public, the unguessable ticket id is the key
    Row("GET", f"{V1}/push/public-key", "public"),
    Row("POST", f"{TICKET}/push-subscriptions", "public"),
    Row("DELETE", f"{TICKET}/push-subscriptions", "public"),
    Row("GET", f"{LOC}/slot-days",      "public"),
    Row("POST", f"{V1}/appointments/{{appointment_id}}/cancel",
                                        "integration admin",             "appointment.book",  "",          HIDDEN),
    Row("POST", f"{LOC}/check-ins",     "kiosk robot host manager admin", "check_in"),
    Row("POST", BLOCKS,                 "kiosk admin",                   "ticket.offline"),
    Row("POST", f"{BLOCKS}/{{block_id}}/tickets",
                                        "kiosk admin",                   "ticket.offline"),
    Row("POST", ASSIST,                 "kiosk robot desk host manager admin", "assist.request"),
    Row("GET", ASSIST,                  "host manager admin",            "assist.read"),
    Row("POST", f"{ASSIST}/{{request_id}}/resolve",
                                        "host manager admin",            "assist.read"),
    # cases and reports; a case look-up is city-wide, so a kiosk elsewhere may make one
    Row("POST", f"{V1}/case-lookups",   "kiosk robot admin",             "case.lookup",       "",          ALLOWED),
    Row("POST", f"{LOC}/public-reactions",
                                        "kiosk admin",                   "case.reaction"),
    Row("GET", f"{LOC}/reports/service-norms",
                                        "host manager admin",            "report.read"),
    Row("GET", f"{V1}/devices/me",      ALL,                             None,                "",          ALLOWED),
    Row("POST", f"{V1}/devices/me/status",
                                        "kiosk robot display desk",      "device.status",     "",          ALLOWED),
    # a host pauses or resumes a robot; the robot asks for its commands
    Row("POST", f"{LOC}/devices/{{device_id}}/commands",
                                        "host manager admin",            "device.command"),
    Row("GET", f"{V1}/devices/me/commands",
                                        "robot",                         "device.commands",   "",          ALLOWED),
    # the audit trail: a manager's own location, or every location for an admin
    Row("GET", f"{V1}/audit-events",    "manager admin",                 "audit.read"),
    # operations: the service's metrics on the main port (GASTVRIJ_METRICS_PORT unset)
    Row("GET", "/metrics",              "ops admin",                     "metrics.read",      "",          ALLOWED),
)  # fmt: skip

QUEUE_DETAIL = frozenset({"desk", "host", "manager", "admin"})
"""Who sees the waiting tickets one by one in GET .../queue (everyone else: counts only)."""

# ---------------------------------------------------------------------------------------------------
# How to make one call of a row: a fresh resource (prepared with the admin token) whenever needed.


@dataclass(frozen=True)
class Call:
    method: str
    path: str
    json: Any = None
    params: dict[str, str] | None = None
    stream: bool = False


def _issue(w: World, service: str = "paspoort") -> dict[str, Any]:
    response = w.api.issue(w.admin, service)
    assert response.status_code == 201, response.text
    return response.json()


def _called_ticket(w: World, desk: str = DESK_OF_DESK) -> str:
    """A ticket in status called at ``desk``: the desk token's own, or balie-1 for another desk.
    Past the call's debounce window, so that a ticket still called there (its service added) is
    not handed out again."""
    _issue(w)
    w.clock.advance(seconds=3)
    response = w.api.call_next(w.admin, desk)
    assert response.status_code == 200, response.text
    assert response.json()["status"] == "called"
    return str(response.json()["id"])


def _book(w: World) -> dict[str, Any]:
    starts_at = w.clock().replace(second=0, microsecond=0).isoformat()
    response = w.api.post(f"{V1}/appointments", w.admin,
                          {"location": HOME, "service": "paspoort", "starts_at": starts_at}, key=new_key())
    assert response.status_code == 201, response.text
    return response.json()


def _push_subscription() -> dict[str, Any]:
    """A browser's subscription (a real P-256 key; the https endpoint is never reached in this test)."""
    import base64
    import os

    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

    point = ec.generate_private_key(ec.SECP256R1()).public_key().public_bytes(Encoding.X962,
                                                                                 PublicFormat.UncompressedPoint)
    b64 = lambda raw: base64.urlsafe_b64encode(raw).rstrip(b"=").decode()  # noqa: E731
    return {"endpoint": f"https://push.example/{os.urandom(8).hex()}", "keys": {"p256dh": b64(point),
                                                                                 "auth": b64(os.urandom(16))}}


def _subscribed(w: World) -> Call:
    """A ticket with a subscription; the call unsubscribes it."""
    ticket = _issue(w)["id"]
    subscription = _push_subscription()
    response = w.api.post(f"{V1}/tickets/{ticket}/push-subscriptions", None, subscription)
    assert response.status_code == 201, response.text
    return Call("DELETE", f"{V1}/tickets/{ticket}/push-subscriptions", {"endpoint": subscription["endpoint"]})


def _free_slot(w: World) -> str:
    """The next free passport slot at the home location (each booking takes one)."""
    response = w.api.get(f"{V1}/locations/{HOME}/slots", params={"service": "paspoort", "from": w.clock().isoformat()})
    assert response.status_code == 200, response.text
    return str(response.json()["slots"][0]["starts_at"])


def _assist(w: World) -> str:
    response = w.api.post(f"{V1}/locations/{HOME}/assist-requests", w.admin, {"reason": "other"})
    assert response.status_code == 201, response.text
    return str(response.json()["id"])


def _offline_ticket(w: World) -> Call:
    """The first number of a fresh block of the home kiosk (a kiosk hands in tickets from its own
    blocks only; admin may hand in any)."""
    response = w.api.post(f"{V1}/locations/{HOME}/number-blocks", w.token("kiosk"),
                          {"service": "paspoort", "size": 1}, key=new_key())
    assert response.status_code == 201, response.text
    block = response.json()
    return Call("POST", f"{V1}/locations/{HOME}/number-blocks/{block['block_id']}/tickets",
                {"number": block["first_number"], "issued_at": w.clock().isoformat()})


def _case_lookup(w: World) -> Call:
    """A case with an initiator at 3078 AK 16 (made through the use cases: the Zaken API has its own auth)."""
    from datetime import date

    from location_config.zaaktypes import load_zaaktypes
    from queue_ticketing.domain.cases import Zaak
    from queue_ticketing.services.cases import NewRol, NewZaak, add_rol, create_zaak
    from queue_ticketing.services.catalogi import CaseTypes
    from queue_ticketing.store.unit_of_work import UnitOfWork
    from queue_ticketing.store.write_batch import write_alone

    catalogue = load_zaaktypes()
    types = CaseTypes(catalogue)
    def open_case(uow: UnitOfWork) -> Zaak:
        zaak = create_zaak(uow, types, NewZaak("002220647", "publieksreactie", "002220647", date(2026, 11, 30)))
        add_rol(uow, types, zaak, NewRol(catalogue.zaaktypes["publieksreactie"].initiator.uuid,
                                             "natuurlijk_persoon", postcode="3078 AK", huisnummer=16))
        return zaak

    zaak = write_alone(w.db, w.clock, open_case)
    return Call("POST", f"{V1}/case-lookups", {"identificatie": zaak.identificatie, "postcode": "3078 AK",
                                               "huisnummer": 16})


def _action(name: str, body: Any = None, called: bool = True, desk: str = DESK_OF_DESK) -> Callable[[World], Call]:
    """The action on a ticket called at ``desk``, or on a fresh waiting one. The services named are
    chosen so that no ticket ever gets one twice: a ticket transferred to ``geboorteaangifte``, or
    given a next service, waits where no row calls."""
    def prepare(w: World) -> Call:
        ticket = _called_ticket(w, desk) if called else _issue(w)["id"]
        return Call("POST", f"{V1}/tickets/{ticket}/{name}", body)
    return prepare


HERE = f"{V1}/locations/{HOME}"


def _robot_command(w: World) -> Call:
    """Pause the home location's robot (its device id from its own token)."""
    robot = w.api.session.get(f"{w.api.base}{V1}/devices/me", headers={"Authorization": f"Bearer {w.token('robot')}"},
                              timeout=10).json()["id"]
    return Call("POST", f"{HERE}/devices/{robot}/commands", {"command": "pause"})

PREPARE: dict[str, Callable[[World], Call]] = {
    f"GET {V1}/health": lambda w: Call("GET", f"{V1}/health"),
    f"GET {V1}/locations": lambda w: Call("GET", f"{V1}/locations"),
    f"GET {LOC}": lambda w: Call("GET", HERE),
    f"GET {LOC}/queue": lambda w: Call("GET", f"{HERE}/queue"),
    f"GET {LOC}/events": lambda w: Call("GET", f"{HERE}/events", stream=True),
    f"GET {LOC}/events [scope=hosts]":
        lambda w: Call("GET", f"{HERE}/events", params={"scope": "hosts"}, stream=True),
    f"GET {TICKET}": lambda w: Call("GET", f"{V1}/tickets/{_issue(w)['id']}"),
    f"POST {LOC}/tickets": lambda w: Call("POST", f"{HERE}/tickets", {"service": "paspoort"}),
    f"POST {LOC}/tickets [priority]":
        lambda w: Call("POST", f"{HERE}/tickets", {"service": "paspoort", "priority": True}),
    f"POST {DESK}/call-next": lambda w: (_issue(w), Call("POST", f"{HERE}/desks/{DESK_OF_DESK}/call-next"))[1],
    f"POST {DESK}/call-next [another desk]":
        lambda w: (_issue(w), Call("POST", f"{HERE}/desks/balie-1/call-next"))[1],
    f"POST {DESK}/{{state}} [open]": lambda w: Call("POST", f"{HERE}/desks/{DESK_OF_DESK}/open"),
    f"POST {DESK}/{{state}} [close]": lambda w: Call("POST", f"{HERE}/desks/{DESK_OF_DESK}/close"),
    f"POST {DESK}/{{state}} [open another desk]": lambda w: Call("POST", f"{HERE}/desks/balie-2/open"),
    f"POST {ACTION} [recall]": _action("recall"),
    f"POST {ACTION} [start]": _action("start"),
    f"POST {ACTION} [finish]": _action("finish"),
    f"POST {ACTION} [no-show]": _action("no-show"),
    f"POST {ACTION} [cancel]": _action("cancel"),
    f"POST {ACTION} [requeue]": _action("requeue"),
    f"POST {ACTION} [transfer]": _action("transfer", {"service": "geboorteaangifte"}),
    f"POST {ACTION} [priority]": _action("priority", called=False),
    f"POST {ACTION} [add-service]": _action("add-service", {"service": "verhuizing"}),
    f"POST {ACTION} [finish at another desk]": _action("finish", desk="balie-1"),
    f"POST {ACTION} [add-service at another desk]": _action("add-service", {"service": "verhuizing"}, desk="balie-1"),
    f"POST {ACTION} [add-service waiting]": _action("add-service", {"service": "informatie"}, called=False),
    f"POST {ACTION} [transfer waiting]": _action("transfer", {"service": "geboorteaangifte"}, called=False),
    f"POST {ACTION} [cancel waiting]": _action("cancel", called=False),
    f"GET {TICKET}/timeline": lambda w: Call("GET", f"{V1}/tickets/{_issue(w)['id']}/timeline"),
    f"POST {V1}/appointments [any time]": lambda w: Call("POST", f"{V1}/appointments", {
        "location": HOME, "service": "paspoort", "starts_at": w.clock().isoformat(), "language": "en"}),
    f"POST {V1}/appointments [free slot]": lambda w: Call("POST", f"{V1}/appointments", {
        "location": HOME, "service": "paspoort", "starts_at": _free_slot(w), "language": "en"}),
    f"GET {LOC}/slots": lambda w: Call("GET", f"{HERE}/slots", params={"service": "paspoort", "date": "2026-11-30"}),
    f"GET {V1}/push/public-key": lambda w: Call("GET", f"{V1}/push/public-key"),
    f"POST {TICKET}/push-subscriptions": lambda w: Call("POST", f"{V1}/tickets/{_issue(w)['id']}/push-subscriptions",
                                                         _push_subscription()),
    f"DELETE {TICKET}/push-subscriptions": lambda w: _subscribed(w),
    f"GET {LOC}/slot-days": lambda w: Call("GET", f"{HERE}/slot-days", params={"service": "paspoort"}),
    f"POST {V1}/appointments/{{appointment_id}}/cancel":
        lambda w: Call("POST", f"{V1}/appointments/{_book(w)['id']}/cancel"),
    f"POST {LOC}/check-ins": lambda w: Call("POST", f"{HERE}/check-ins", {"code": _book(w)["code"]}),
    f"POST {BLOCKS}": lambda w: Call("POST", f"{HERE}/number-blocks", {"service": "paspoort", "size": 2}),
    f"POST {BLOCKS}/{{block_id}}/tickets": _offline_ticket,
    f"POST {ASSIST}": lambda w: Call("POST", f"{HERE}/assist-requests", {"reason": "visitor_needs_help"}),
    f"GET {ASSIST}": lambda w: Call("GET", f"{HERE}/assist-requests"),
    f"POST {ASSIST}/{{request_id}}/resolve":
        lambda w: Call("POST", f"{HERE}/assist-requests/{_assist(w)}/resolve"),
    f"POST {V1}/case-lookups": lambda w: _case_lookup(w),
    f"POST {LOC}/public-reactions":
        lambda w: Call("POST", f"{HERE}/public-reactions", {"type": "question", "text": "Waar is het loket?"}),
    f"GET {LOC}/reports/service-norms": lambda w: Call("GET", f"{HERE}/reports/service-norms",
                                                       params={"from": "2026-11-30", "to": "2026-11-30"}),
    f"GET {V1}/devices/me": lambda w: Call("GET", f"{V1}/devices/me"),
    f"POST {V1}/devices/me/status": lambda w: Call("POST", f"{V1}/devices/me/status", {"online": True}),
    f"POST {LOC}/devices/{{device_id}}/commands": lambda w: _robot_command(w),
    f"GET {V1}/devices/me/commands": lambda w: Call("GET", f"{V1}/devices/me/commands"),
    f"GET {V1}/audit-events": lambda w: Call("GET", f"{V1}/audit-events", params={"location": HOME}),
    "GET /metrics": lambda w: Call("GET", "/metrics"),
}

# ---------------------------------------------------------------------------------------------------
# Who calls, and what they should get.

BAD_TOKEN = "not-a-token-anybody-was-given"


@dataclass(frozen=True)
class Caller:
    label: str
    role: str | None
    location: str | None
    bad: bool = False


CALLERS: tuple[Caller, ...] = (
    Caller("no token", None, None),
    Caller("bad token", None, None, bad=True),
    *(Caller(f"{role} (every location)", role, None) for role in ROLES if role in CITY_WIDE),
    *(Caller(f"{role}@{HOME}", role, HOME) for role in ROLES if role not in CITY_WIDE),
    *(Caller(f"{role}@{ELSEWHERE}", role, ELSEWHERE) for role in ROLES if role not in CITY_WIDE),
)


def expected(row: Row, caller: Caller) -> str:
    if row.roles is PUBLIC:
        return ALLOWED
    if caller.role is None:
        return "401"
    if caller.role in row.narrower.split() and caller.location != ELSEWHERE:
        return "409"
    if caller.role not in row.roles:
        return FORBIDDEN
    if caller.location == ELSEWHERE:
        return row.elsewhere
    if caller.role in row.other_desk.split():
        return FORBIDDEN
    return ALLOWED


def outcome(status: int) -> str:
    if 200 <= status < 300:
        return ALLOWED
    if status == 404:
        return HIDDEN
    return str(status)


def send(w: World, call: Call, token: str | None) -> requests.Response:
    headers = credential_headers(token) if token else {}
    url = f"{w.api.base}{call.path}"
    if call.stream:  # a never-ending SSE stream: read the status line and headers, then hang up
        with requests.get(url, headers=headers, params=call.params, stream=True, timeout=5) as response:
            if response.status_code != 200:
                _ = response.content  # a short problem document, not a stream: keep it for the report
            return response
    return w.api.session.request(call.method, url, headers={**headers, "Idempotency-Key": new_key()},
                                 json=call.json, params=call.params, timeout=10)


def _code(response: requests.Response) -> str:
    if response.headers.get("content-type", "").startswith("application/problem+json"):
        return str(response.json().get("code"))
    return ""


# ---------------------------------------------------------------------------------------------------
# The tests.


@pytest.mark.parametrize("row", MATRIX, ids=lambda row: row.id)
def test_every_caller_gets_what_the_matrix_says(world: World, row: Row) -> None:
    prepare = PREPARE[row.id]
    mismatches = []
    call = prepare(world)
    for caller in CALLERS:
        token = BAD_TOKEN if caller.bad else world.token(caller.role, caller.location) if caller.role else None
        response = send(world, call, token)
        if response.ok:  # the resource may be used up (a ticket started, a request resolved): a fresh one
            call = prepare(world)
        want, got = expected(row, caller), outcome(response.status_code)
        if want != got:
            mismatches.append(f"  {caller.label:<22} expected {want:<14} got {response.status_code} "
                              f"{_code(response)}")
    assert not mismatches, f"{row.id}:\n" + "\n".join(mismatches)


def test_the_matrix_agrees_with_the_permissions_table_of_the_code() -> None:
    disagreements = [f"{row.id}: matrix {sorted(row.roles or ())} vs PERMISSIONS[{row.permission!r}] "
                     f"{sorted(PERMISSIONS[row.permission].roles)}"
                     for row in MATRIX if row.permission and row.roles != PERMISSIONS[row.permission].roles]
    if PERMISSIONS["queue.detail"].roles != QUEUE_DETAIL:
        disagreements.append(f"queue detail: {sorted(QUEUE_DETAIL)} vs {sorted(PERMISSIONS['queue.detail'].roles)}")
    assert not disagreements, "\n".join(disagreements)


def test_what_the_matrix_expects_elsewhere_follows_the_scope_of_each_permission() -> None:
    """A location-scoped permission refuses another location's caller (403, or 404 for a resource
    addressed by id); one about the caller itself or city-wide does not look at locations."""
    elsewhere = {Scope.LOCATION: {FORBIDDEN, HIDDEN}, Scope.CALLER: {ALLOWED}, Scope.CITY: {ALLOWED}}
    disagreements = [f"{row.id}: elsewhere {row.elsewhere} but {row.permission} is {PERMISSIONS[row.permission].scope}"
                     for row in MATRIX
                     if row.permission and row.elsewhere not in elsewhere[PERMISSIONS[row.permission].scope]]
    assert not disagreements, "\n".join(disagreements)


def test_every_permission_bound_to_the_own_desk_has_a_row_at_another_desk_refusing_exactly_those_roles() -> None:
    """A desk acts only at its own desk: each permission binding roles to their own desk has a row
    addressing another desk (or a ticket at none), where exactly those roles are refused."""
    bound = {name: p.own_desk for name, p in PERMISSIONS.items() if p.own_desk}
    assert bound, "no permission binds a role to its own desk"
    disagreements = [f"{row.id}: other_desk {row.other_desk!r} vs own_desk {sorted(bound.get(row.permission, ()))}"
                     for row in MATRIX if row.other_desk
                     and frozenset(row.other_desk.split()) != bound.get(row.permission or "", frozenset())]
    covered = {row.permission for row in MATRIX if row.other_desk}
    assert not disagreements, "\n".join(disagreements)
    assert covered == set(bound), f"permissions without a row at another desk: {sorted(set(bound) - covered)}"


def test_every_permission_of_the_code_appears_in_the_matrix() -> None:
    # queue.detail: what GET .../queue includes (below); device.manage: the manager's device-token
    # page, not an API route (tests/api/test_accounts.py)
    used = {row.permission for row in MATRIX if row.permission} | {"queue.detail", "device.manage"}
    assert set(PERMISSIONS) == used


def test_the_matrix_knows_exactly_the_roles_of_the_code() -> None:
    assert tuple(ROLES) == tuple(CODE_ROLES)
    assert frozenset(CITY_WIDE) == CITY_WIDE_ROLES


def _api_routes(world: World) -> set[tuple[str, str]]:
    document = world.api.get("/openapi.json")
    assert document.status_code == 200
    return {(method.upper(), path) for path, operations in document.json()["paths"].items()
            if path.startswith(f"{V1}/") for method in operations
            if method in ("get", "post", "put", "patch", "delete")}


def test_every_api_route_in_the_openapi_document_has_a_matrix_row(world: World) -> None:
    missing = _api_routes(world) - {(row.method, row.path) for row in MATRIX if row.path.startswith(V1)}
    assert not missing, f"routes without a row in MATRIX: {sorted(missing)}"


def test_every_matrix_row_is_a_route_of_the_openapi_document(world: World) -> None:
    stale = {(row.method, row.path) for row in MATRIX if row.path.startswith(V1)} - _api_routes(world)
    assert not stale, f"rows in MATRIX for routes the app does not have: {sorted(stale)}"


def test_every_matrix_row_knows_how_to_call_its_endpoint() -> None:
    assert {row.id for row in MATRIX} == set(PREPARE)


@pytest.mark.parametrize("caller", [c for c in CALLERS if not c.bad], ids=lambda c: c.label)
def test_only_desk_host_and_admin_of_the_location_see_waiting_tickets_one_by_one(world: World,
                                                                                   caller: Caller) -> None:
    _issue(world)
    token = world.token(caller.role, caller.location) if caller.role else None
    queue = world.api.get(f"{V1}/locations/{HOME}/queue", token)
    assert queue.status_code == 200
    detailed = caller.role in QUEUE_DETAIL and caller.location in (HOME, None)
    assert bool(queue.json().get("tickets")) is detailed  # absent or null when not detailed


# ---------------------------------------------------------------------------------------------------
# Signing in on the staff screens: the same callers, the token in the sign-in request's body.

SIGN_IN = {"host": frozenset({"host", "manager", "admin"}), "desk": frozenset({"desk", "manager", "admin"})}
"""Who may use each staff screen at their own location (README, "Web screens"); a manager is a
person, who signs in at /sign-in, never with a token."""


def expected_sign_in(screen: str, caller: Caller) -> tuple[int, str]:
    if caller.role is None or caller.role in PERSON_ONLY:
        return 401, "unknown_token"
    if caller.role not in SIGN_IN[screen]:
        return 403, "wrong_role"
    if caller.location == ELSEWHERE:
        return 403, "wrong_location"
    return 204, ""


@pytest.mark.parametrize("screen", sorted(SIGN_IN))
def test_every_caller_signs_in_on_a_staff_screen_only_as_the_table_says(world: World, screen: str) -> None:
    mismatches = []
    for caller in (c for c in CALLERS if c.role or c.bad):
        token = BAD_TOKEN if caller.bad else world.token(caller.role, caller.location) if caller.role else ""
        response = world.api.session.post(f"{world.api.base}/{screen}/{HOME}/session", json={"token": token},
                                          timeout=10)
        got = (response.status_code, _code(response))
        if got != expected_sign_in(screen, caller):
            mismatches.append(f"  {caller.label:<22} expected {expected_sign_in(screen, caller)} got {got}")
        assert ("set-cookie" in response.headers) is (response.status_code == 204)
    assert not mismatches, f"sign-in on /{screen}:\n" + "\n".join(mismatches)


def test_the_sign_in_table_agrees_with_the_screens_permissions() -> None:
    from queue_ticketing.web.staff_session import DESK, HOST

    assert {screen.name: PERMISSIONS[screen.permission].roles for screen in (HOST, DESK)} == SIGN_IN
