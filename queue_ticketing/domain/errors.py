"""Domain errors: each carries a stable code that the API turns into problem+json."""

from __future__ import annotations


class DomainError(Exception):
    """A rule of the service was broken; ``code`` is stable, ``detail`` is for people."""

    code = "domain_error"
    status = 409

    def __init__(self, detail: str, **extra: object) -> None:
        super().__init__(detail)
        self.detail = detail
        self.extra = extra


class NotFound(DomainError):
    code = "not_found"
    status = 404


class IllegalTransition(DomainError):
    code = "illegal_transition"
    status = 409


class ServiceNotOffered(DomainError):
    code = "service_not_offered"
    status = 422


class InvalidServices(DomainError):
    """A visit's services that cannot be: none, more than three, one twice, or not named."""

    code = "invalid_services"
    status = 422


class SlotTaken(DomainError):
    """The slot was booked by someone else a moment ago (or is not a free slot); ``next_free``
    lists the next free ones."""

    code = "slot_taken"
    status = 409


class BookedElsewhere(DomainError):
    """This location books no appointments here; ``booking_url`` says where visitors book."""

    code = "booked_elsewhere"
    status = 409


class InvalidPushSubscription(DomainError):
    """A browser's push subscription the service cannot use (not https, keys of the wrong size)."""

    code = "invalid_push_subscription"
    status = 422


class CheckInRefused(DomainError):
    """Check-in is not possible now; ``code`` says why (too_early, too_late, wrong_location, ...)."""

    status = 409

    def __init__(self, code: str, detail: str, **extra: object) -> None:
        super().__init__(detail, **extra)
        self.code = code
