"""Number blocks leased to kiosks, and the look-up that keeps an offline number from being used twice."""

from __future__ import annotations

from datetime import date

from sqlalchemy import Connection, Row, and_, bindparam, delete, func, insert, select

from ..domain.number_blocks import NumberBlock
from .schema import number_blocks, tickets

_insert = insert(number_blocks)
_by_id = select(number_blocks).where(number_blocks.c.id == bindparam("block_id"))
_leased = select(func.coalesce(func.sum(number_blocks.c.last - number_blocks.c.first + 1), 0)).where(and_(
    number_blocks.c.device_id == bindparam("device_id"), number_blocks.c.service == bindparam("service"),
    number_blocks.c.business_day == bindparam("day")))
_ticket_with_number = select(tickets.c.id).where(and_(
    tickets.c.location == bindparam("location"), tickets.c.business_day == bindparam("day"),
    tickets.c.number == bindparam("number")))


def _block(row: Row) -> NumberBlock:
    return NumberBlock(id=row.id, location=row.location, service=row.service, letter=row.letter,
                       business_day=row.business_day, first=row.first, last=row.last, device_id=row.device_id,
                       leased_at=row.leased_at)


class NumberBlockStore:
    def __init__(self, conn: Connection) -> None:
        self.conn = conn

    def add(self, block: NumberBlock) -> None:
        self.conn.execute(_insert, {
            "id": block.id, "location": block.location, "service": block.service, "letter": block.letter,
            "business_day": block.business_day, "first": block.first, "last": block.last,
            "device_id": block.device_id, "leased_at": block.leased_at,
        })

    def get(self, block_id: str) -> NumberBlock | None:
        row = self.conn.execute(_by_id, {"block_id": block_id}).first()
        return _block(row) if row else None

    def leased(self, device_id: str, service: str, day: date) -> int:
        """How many numbers this device leased for this service and day, all blocks together."""
        return int(self.conn.execute(_leased, {"device_id": device_id, "service": service, "day": day}).scalar_one())

    def forget_before(self, day: date) -> int:
        """Delete the blocks of business days before ``day``; returns how many."""
        return self.conn.execute(delete(number_blocks).where(number_blocks.c.business_day < day)).rowcount

    def ticket_with_number(self, location: str, day: date, number: str) -> str | None:
        """The id of the ticket that has this number on this day, if any."""
        return self.conn.execute(_ticket_with_number, {"location": location, "day": day, "number": number}).scalar()
