"""Web Push: the subscriptions of waiting visitors' browsers, and the service's VAPID key pair."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import Connection, Row, delete, func, insert, select, update

from .schema import push_keys, push_subscriptions

VAPID = "vapid"


@dataclass(frozen=True)
class PushSubscription:
    id: str
    ticket_id: str
    location: str
    business_day: date
    number: str
    service: str
    language: str
    endpoint: str
    p256dh: str
    auth: str
    near_sent: bool
    last_event_id: int


def _subscription(row: Row) -> PushSubscription:
    return PushSubscription(row.id, row.ticket_id, row.location, row.business_day, row.number, row.service,
                            row.language, row.endpoint, row.p256dh, row.auth, bool(row.near_sent),
                            int(row.last_event_id))


class PushStore:
    def __init__(self, conn: Connection) -> None:
        self.conn = conn

    def add(self, subscription: PushSubscription, now: datetime) -> None:
        self.conn.execute(insert(push_subscriptions).values(
            id=subscription.id, ticket_id=subscription.ticket_id, location=subscription.location,
            business_day=subscription.business_day, number=subscription.number, service=subscription.service,
            language=subscription.language, endpoint=subscription.endpoint, p256dh=subscription.p256dh,
            auth=subscription.auth, created_at=now, near_sent=subscription.near_sent,
            last_event_id=subscription.last_event_id))

    def of_ticket(self, ticket_id: str) -> list[PushSubscription]:
        rows = self.conn.execute(select(push_subscriptions).where(push_subscriptions.c.ticket_id == ticket_id))
        return [_subscription(r) for r in rows]

    def at_location(self, location: str, business_day: date) -> list[PushSubscription]:
        rows = self.conn.execute(select(push_subscriptions).where(
            push_subscriptions.c.location == location, push_subscriptions.c.business_day == business_day))
        return [_subscription(r) for r in rows]

    def update_keys(self, subscription_id: str, p256dh: str, auth: str) -> None:
        self.conn.execute(update(push_subscriptions).where(push_subscriptions.c.id == subscription_id)
                          .values(p256dh=p256dh, auth=auth))

    def follow_service(self, ticket_id: str, service: str) -> None:
        self.conn.execute(update(push_subscriptions).where(push_subscriptions.c.ticket_id == ticket_id)
                          .values(service=service, near_sent=False))

    def claim_near(self, subscription_id: str) -> bool:
        """True for the one caller that marks the "nearly your turn" push as sent."""
        result = self.conn.execute(update(push_subscriptions).where(
            push_subscriptions.c.id == subscription_id, push_subscriptions.c.near_sent.is_(False))
            .values(near_sent=True))
        return result.rowcount == 1

    def claim_event(self, subscription_id: str, event_id: int) -> bool:
        """True for the one caller that moves the subscription on to ``event_id``."""
        result = self.conn.execute(update(push_subscriptions).where(
            push_subscriptions.c.id == subscription_id, push_subscriptions.c.last_event_id < event_id)
            .values(last_event_id=event_id))
        return result.rowcount == 1

    def remove(self, subscription_id: str) -> int:
        return int(self.conn.execute(delete(push_subscriptions).where(
            push_subscriptions.c.id == subscription_id)).rowcount)

    def remove_endpoint(self, ticket_id: str, endpoint: str) -> int:
        return int(self.conn.execute(delete(push_subscriptions).where(
            push_subscriptions.c.ticket_id == ticket_id, push_subscriptions.c.endpoint == endpoint)).rowcount)

    def remove_ticket(self, ticket_id: str) -> int:
        return int(self.conn.execute(delete(push_subscriptions).where(
            push_subscriptions.c.ticket_id == ticket_id)).rowcount)

    def forget_before(self, business_day: date) -> int:
        """Housekeeping: subscriptions of earlier days (their tickets ended with the day)."""
        return int(self.conn.execute(delete(push_subscriptions).where(
            push_subscriptions.c.business_day < business_day)).rowcount)

    def count(self) -> int:
        return int(self.conn.execute(select(func.count()).select_from(push_subscriptions)).scalar() or 0)

    def vapid_keys(self) -> tuple[str, str] | None:
        row = self.conn.execute(select(push_keys).where(push_keys.c.id == VAPID)).first()
        return (row.private_key, row.public_key) if row else None

    def add_vapid_keys(self, private_key: str, public_key: str, now: datetime) -> None:
        self.conn.execute(insert(push_keys).values(id=VAPID, private_key=private_key, public_key=public_key,
                                                   created_at=now))
