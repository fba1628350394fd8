"""Who may do what, and where: the one permission table and the one check (DESIGN.md, "Auth").

Each permission names the roles that hold it and its *scope*: ``LOCATION`` — only at the
principal's own location (:meth:`Principal.acts_at`); ``CALLER`` — about the caller itself (its own
status, its own commands), so no location is involved; ``CITY`` — anywhere (a case look-up, the
service's metrics). An endpoint addressed by location passes that location to :func:`authorize`;
one addressed by an unguessable id (a ticket, an appointment) authorizes the role first and the use
case then treats a resource of another location as not there (``acts_at`` → 404).

A permission may bind some of its roles to their *own desk* (``own_desk``): a ``desk`` calls the
next visitor to, opens and closes only the desk it sits at (:attr:`Principal.desk`), and acts only
on the ticket called to or served at it (:func:`authorize_at_desk`); hosts and managers, who help
on the floor, act on any ticket of their location.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from .errors import DomainError
from .identity import Principal
from .tickets import Channel


class Unauthorized(DomainError):
    code = "unauthorized"
    status = 401


class Forbidden(DomainError):
    code = "forbidden"
    status = 403


class WrongDesk(Forbidden):
    code = "wrong_desk"


class NoDesk(Forbidden):
    code = "no_desk"


class Scope(StrEnum):
    LOCATION = "location"
    CALLER = "caller"
    CITY = "city"


@dataclass(frozen=True)
class Permission:
    roles: frozenset[str]
    scope: Scope = Scope.LOCATION
    own_desk: frozenset[str] = frozenset()
    """The roles that hold it only at their own desk (a subset of ``roles``)."""


def _p(roles: str, scope: Scope = Scope.LOCATION, own_desk: str = "") -> Permission:
    return Permission(frozenset(roles.split()), scope, frozenset(own_desk.split()))


PERMISSIONS: dict[str, Permission] = {
    "ticket.issue": _p("kiosk robot host manager admin"),
    "ticket.priority": _p("host manager admin"),
    "ticket.offline": _p("kiosk admin"),
    "ticket.act": _p("desk host manager admin", own_desk="desk"),
    "ticket.timeline": _p("desk host manager admin"),
    "desk.call": _p("desk manager admin", own_desk="desk"),
    "desk.open": _p("desk host manager admin", own_desk="desk"),
    "check_in": _p("kiosk robot host manager admin"),
    "appointment.book": _p("integration admin"),
    "appointment.book_slot": _p("kiosk robot host manager integration admin"),
    "assist.request": _p("kiosk robot desk host manager admin"),
    "assist.read": _p("host manager admin"),
    "queue.detail": _p("desk host manager admin"),
    "events.hosts": _p("host manager admin"),
    "report.read": _p("host manager admin"),
    "case.reaction": _p("kiosk admin"),
    "device.command": _p("host manager admin"),
    "device.manage": _p("manager admin"),
    "audit.read": _p("manager admin"),
    "device.status": _p("kiosk robot display desk", Scope.CALLER),
    "device.commands": _p("robot", Scope.CALLER),
    "case.lookup": _p("kiosk robot admin", Scope.CITY),
    "metrics.read": _p("ops admin", Scope.CITY),
}
"""Permission → roles and scope. One table, so the matrix test and the code cannot disagree."""


def authorize(principal: Principal | None, permission: str, location: str | None = None) -> Principal:
    """The principal, if it holds ``permission`` (at ``location`` for a location-scoped one);
    else Unauthorized (nobody) or Forbidden (``reason``: ``role`` or ``location``)."""
    if principal is None:
        raise Unauthorized("This needs a credential (Authorization: Bearer <token>).")
    wanted = PERMISSIONS[permission]
    if principal.role not in wanted.roles:
        raise Forbidden(f"A {principal.role} may not do this ({permission}).", reason="role")
    if wanted.scope is Scope.LOCATION and location is not None and not principal.acts_at(location):
        raise Forbidden(f"This credential belongs to location '{principal.location}', not '{location}'.",
                        reason="location")
    return principal


def authorize_at_desk(principal: Principal, permission: str, desk: str | None, *, ticket: str | None = None) -> None:
    """Nothing when ``principal`` may use ``permission`` at ``desk`` (the desk addressed, or the one
    the ticket ``ticket`` is at: None when it is at none); else NoDesk (a desk's credential that sits
    at no desk yet) or WrongDesk. Only roles the permission binds to their own desk are checked."""
    if principal.role not in PERMISSIONS[permission].own_desk:
        return
    if principal.desk is None:
        raise NoDesk("This desk credential sits at no desk: open the desk page of your desk, or use a "
                     "token made for one desk.", reason="desk")
    if desk == principal.desk:
        return
    if ticket is None:
        raise WrongDesk(f"You sit at desk '{principal.desk}', not '{desk}': a desk acts only at its own desk.",
                        reason="desk", desk=principal.desk)
    raise WrongDesk(f"Ticket {ticket} is not at your desk ('{principal.desk}'): a desk acts only on the visitor "
                    "called to or served at it; ask a host for the others.", reason="desk", desk=principal.desk)


def permits(principal: Principal | None, permission: str, location: str | None = None) -> bool:
    """Whether :func:`authorize` would let ``principal`` through (for what an answer includes)."""
    try:
        authorize(principal, permission, location)
    except (Unauthorized, Forbidden):
        return False
    return True


def sees_case_references(principal: Principal | None) -> bool:
    """Whether a ticket's case reference goes into answers to this caller: the staff who see
    tickets one by one (desk, host, admin), never a public screen, kiosk or robot."""
    return principal is not None and principal.role in PERMISSIONS["queue.detail"].roles


OWN_CHANNEL = {"kiosk": Channel.KIOSK, "robot": Channel.ROBOT, "host": Channel.HOST, "desk": Channel.DESK,
               "manager": Channel.HOST, "admin": Channel.HOST}


def own_channel(principal: Principal) -> Channel:
    """The channel a ticket or check-in comes in through when this caller makes it."""
    return OWN_CHANNEL.get(principal.role, Channel.KIOSK)


def issuing_channel(principal: Principal, requested: str | None) -> Channel:
    """The channel of a ticket the principal issues: its own unless it asks for another, which only
    an admin may (any) and a host may (``web``: a visitor helped with the web form at the host desk)."""
    channel = Channel(requested) if requested else own_channel(principal)
    if principal.role == "admin" or channel is own_channel(principal):
        return channel
    if principal.role in ("host", "manager") and channel is Channel.WEB:
        return channel
    raise Forbidden(f"A {principal.role} issues tickets on its own channel, not '{channel.value}'.", reason="channel")
