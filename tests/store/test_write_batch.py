"""The write batch and the reads the stores hold, on SQLite and PostgreSQL: units of work in one
transaction, each kept or rolled back alone; events stored with the commit and announced after it;
events read by type and time; old rows forgotten a bounded number at a time; a device by its id."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest

from queue_ticketing.store.database import Database
from queue_ticketing.store.devices import Device
from queue_ticketing.store.events import StoredEvent
from queue_ticketing.store.migrations import upgrade
from queue_ticketing.store.unit_of_work import HOSTS, Stores, UnitOfWork
from queue_ticketing.store.write_batch import WriteBatch, write_alone

NOW = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)


@pytest.fixture
def db(database_url: str) -> Iterator[Database]:
    database = Database(database_url)
    upgrade(database)
    yield database
    database.dispose()


def _events(db: Database) -> list[StoredEvent]:
    with db.read() as conn:
        return Stores(conn).events.since("ijsselmonde", 0)


def test_a_unit_that_fails_is_rolled_back_alone_and_the_kept_units_events_follow_the_commit(db: Database) -> None:
    announced: list[list[StoredEvent]] = []
    db.after_commit.append(announced.append)
    with WriteBatch(db, lambda: NOW) as batch:
        batch.run(lambda uow: uow.emit("ijsselmonde", "queue.changed", {"waiting": {"paspoort": 1}}))
        with pytest.raises(LookupError), batch.unit() as failing:
            failing.emit("ijsselmonde", "assist.requested", {"reason": "other"}, audience=HOSTS)
            failing.devices.add(Device("d-1", "kiosk-1", "kiosk", "ijsselmonde", NOW), "token-1")
            raise LookupError("the use case refuses")
        batch.run(lambda uow: uow.emit("ijsselmonde", "ticket.issued", {"number": "P001"}))
        assert announced == []
        batch.commit()
        assert announced == []  # not before the caller answered its requests
    batch.announce()
    [stored] = announced
    assert [(e.id, e.type) for e in stored] == [(1, "queue.changed"), (2, "ticket.issued")]
    assert [e.type for e in _events(db)] == ["queue.changed", "ticket.issued"]
    with db.read() as conn:
        assert Stores(conn).devices.get("d-1") is None


def test_events_are_read_by_type_after_an_id_and_from_a_moment(db: Database) -> None:
    def day(uow: UnitOfWork) -> None:
        uow.emit("ijsselmonde", "queue.changed", {"waiting": {}})
        uow.emit("ijsselmonde", "device.command", {"device": "r-1", "command": "pause"}, audience=HOSTS)

    write_alone(db, lambda: NOW - timedelta(days=1), day)
    write_alone(db, lambda: NOW, day)
    with db.read() as conn:
        events = Stores(conn).events
        assert [e.id for e in events.of_types("ijsselmonde", ["device.command"])] == [2, 4]
        assert [e.id for e in events.of_types("ijsselmonde", ["device.command"], after_id=2)] == [4]
        assert [e.id for e in events.of_types("ijsselmonde", ["queue.changed", "device.command"], since=NOW)] == [3, 4]
        assert events.of_types("hoogvliet", ["queue.changed"]) == []


def test_old_events_are_forgotten_at_most_a_limit_at_a_time_and_commands_stay(db: Database) -> None:
    def backlog(uow: UnitOfWork) -> None:
        for _ in range(5):
            uow.emit("ijsselmonde", "queue.changed", {"waiting": {}})
        uow.emit("ijsselmonde", "device.command", {"device": "r-1", "command": "pause"}, audience=HOSTS)

    write_alone(db, lambda: NOW - timedelta(days=8), backlog)
    cutoff = NOW - timedelta(days=7)
    assert write_alone(db, lambda: NOW, lambda uow: uow.events.forget_before(cutoff, 3)) == 3
    assert write_alone(db, lambda: NOW, lambda uow: uow.events.forget_before(cutoff, 3)) == 2
    assert write_alone(db, lambda: NOW, lambda uow: uow.events.forget_before(cutoff, 3)) == 0
    assert [e.type for e in _events(db)] == ["device.command"]


def test_a_device_is_found_by_its_id(db: Database) -> None:
    def register(uow: UnitOfWork) -> None:
        for i in range(3):
            uow.devices.add(Device(f"d-{i}", f"robot-{i}", "robot", "ijsselmonde", NOW), f"token-{i}")

    write_alone(db, lambda: NOW, register)
    with db.read() as conn:
        devices = Stores(conn).devices
        found = devices.get("d-1")
        assert found is not None and found.name == "robot-1"
        assert devices.get("no-such-device") is None
