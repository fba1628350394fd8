"""Tables of the central service (SQLAlchemy Core). Alembic migrations live in ../migrations."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Column,
    Date,
    DateTime,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
)
from sqlalchemy.types import TypeDecorator


class UTCDateTime(TypeDecorator[datetime]):
    """Aware datetimes in, aware UTC datetimes out, on SQLite (which keeps no zone) and PostgreSQL."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: object) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to the database; times are always timezone-aware")
        return value.astimezone(UTC)

    def process_result_value(self, value: datetime | None, dialect: object) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


metadata = MetaData(
    naming_convention={
        "ix": "ix_%(table_name)s_%(column_0_N_name)s",
        "uq": "uq_%(table_name)s_%(column_0_N_name)s",
        "pk": "pk_%(table_name)s",
    }
)

tickets = Table(
    "tickets",
    metadata,
    Column("id", String(32), primary_key=True),
    Column("location", String(64), nullable=False),
    Column("service", String(64), nullable=False),
    Column("number", String(16), nullable=False),
    Column("business_day", Date, nullable=False),
    Column("kind", String(16), nullable=False),
    Column("channel", String(16), nullable=False),
    Column("language", String(8), nullable=False),
    Column("status", String(16), nullable=False),
    Column("priority", Boolean, nullable=False, default=False),
    Column("desk", String(64)),
    Column("issued_at", UTCDateTime, nullable=False),
    Column("queued_at", UTCDateTime, nullable=False),
    Column("appointment_id", String(32)),
    Column("appointment_at", UTCDateTime),
    Column("device_id", String(32)),
    Column("case_reference", String(40)),  # migration 0004
    # A visit's services in order, comma-separated, and where it is (migration 0014). NULL: a
    # ticket written before (or by a release before) 0014: its one service, ``service``.
    Column("services", String(200)),
    Column("service_index", Integer, nullable=False, server_default="0"),
    UniqueConstraint("location", "business_day", "number"),
    Index("ix_tickets_queue", "location", "status", "service"),
)

ticket_steps = Table(
    "ticket_steps",
    metadata,
    Column("id", BigInteger().with_variant(Integer, "sqlite"), primary_key=True, autoincrement=True),
    Column("ticket_id", String(32), nullable=False, index=True),
    Column("location", String(64), nullable=False),
    Column("step", String(16), nullable=False),
    Column("at", UTCDateTime, nullable=False),
    Column("desk", String(64)),
    Column("service", String(64)),
    Index("ix_ticket_steps_report", "location", "at"),
)

number_counters = Table(
    "number_counters",
    metadata,
    Column("location", String(64), primary_key=True),
    Column("letter", String(4), primary_key=True),
    Column("business_day", Date, primary_key=True),
    Column("last_sequence", Integer, nullable=False),
)

waiting_counters = Table(
    "waiting_counters",
    metadata,
    Column("location", String(64), primary_key=True),
    Column("service", String(64), primary_key=True),
    Column("waiting", Integer, nullable=False),
)  # migration 0005
"""How many tickets wait per location and service, kept with every change of a ticket's status
(``TicketStore``): counting the waiting tickets instead costs a scan that grows with the queue."""

appointments = Table(
    "appointments",
    metadata,
    Column("id", String(32), primary_key=True),
    Column("code", String(16), nullable=False, unique=True),
    Column("location", String(64), nullable=False),
    Column("service", String(64), nullable=False),
    Column("starts_at", UTCDateTime, nullable=False),
    Column("status", String(16), nullable=False),
    Column("language", String(8), nullable=False),
    Column("ticket_id", String(32)),
    Column("external_reference", String(128)),
    Column("created_at", UTCDateTime, nullable=False),
    # Free slots read a location's appointments by time.
    Index("ix_appointments_calendar", "location", "starts_at"),
)

assist_requests = Table(
    "assist_requests",
    metadata,
    Column("id", String(32), primary_key=True),
    Column("location", String(64), nullable=False),
    Column("source", String(16), nullable=False),
    Column("device_id", String(32)),
    Column("reason", String(32), nullable=False),
    Column("place", String(64)),
    Column("note", String(200)),
    Column("status", String(16), nullable=False),
    Column("created_at", UTCDateTime, nullable=False),
    Column("resolved_at", UTCDateTime),
    Column("resolved_by", String(32)),
    Index("ix_assist_requests_open", "location", "status"),
)

desk_states = Table(
    "desk_states",
    metadata,
    Column("location", String(64), primary_key=True),
    Column("desk", String(64), primary_key=True),
    Column("is_open", Boolean, nullable=False),
    Column("changed_at", UTCDateTime, nullable=False),
    Column("last_call_at", UTCDateTime),
    Column("last_call_ticket", String(32)),
)

devices = Table(
    "devices",
    metadata,
    Column("id", String(32), primary_key=True),
    Column("name", String(64), nullable=False),
    Column("role", String(16), nullable=False),
    Column("location", String(64)),
    Column("token_hash", String(64), nullable=False, unique=True),
    Column("created_at", UTCDateTime, nullable=False),
    Column("revoked_at", UTCDateTime),
    Column("desk", String(64)),  # a desk token made for one desk; None: any desk it takes on the desk page
)

device_heartbeats = Table(
    # The latest status each device reported (POST /devices/me/status): read by /metrics, so the
    # alerts hear of a kiosk or robot that went silent and of a printer out of paper.
    "device_heartbeats",
    metadata,
    Column("device_id", String(32), primary_key=True),
    Column("location", String(64)),
    Column("name", String(64), nullable=False),
    Column("role", String(16), nullable=False),
    Column("seen_at", UTCDateTime, nullable=False),
    Column("online", Boolean, nullable=False),
    Column("printer", String(16)),
    Column("battery_percent", Integer),
)

staff_sessions = Table(
    "staff_sessions",
    metadata,
    Column("id", String(64), primary_key=True),  # SHA-256 of the secret in the browser's cookie
    Column("subject_kind", String(16), nullable=False),  # who signed in: a device or a person
    Column("subject_id", String(64), nullable=False),
    Column("role", String(16), nullable=False),  # the role and location the session acts in
    Column("location", String(64)),
    Column("created_at", UTCDateTime, nullable=False),
    Column("last_seen_at", UTCDateTime, nullable=False),
    Column("expires_at", UTCDateTime, nullable=False),
    Column("ended_at", UTCDateTime),
    Column("ended_why", String(16)),
    Column("desk", String(64)),  # the desk a desk's session sits at (its token's, or the one it took)
    Index("ix_staff_sessions_subject", "subject_kind", "subject_id"),
)

staff_accounts = Table(
    "staff_accounts",
    metadata,
    Column("id", String(32), primary_key=True),
    Column("email", String(254), nullable=False, unique=True),  # lower case
    Column("name", String(120), nullable=False),
    Column("role", String(16), nullable=False),  # a local account's one role; an OIDC one's comes with each sign-in
    Column("location", String(64)),
    Column("source", String(8), nullable=False),  # "local" or "oidc"
    Column("external_id", String(255)),  # the identity provider's "sub"
    Column("password_hash", String(255)),  # argon2id, local accounts only
    Column("totp_secret", String(64)),
    Column("failed_attempts", Integer, nullable=False, default=0),
    Column("locked_until", UTCDateTime),
    Column("created_at", UTCDateTime, nullable=False),
    Column("disabled_at", UTCDateTime),
)

audit_events = Table(
    "audit_events",
    metadata,
    Column("seq", Integer, primary_key=True, autoincrement=False),  # the chain's order: 1, 2, 3, ...
    Column("at", UTCDateTime, nullable=False),
    Column("actor_kind", String(16), nullable=False),  # device, person or system
    Column("actor_id", String(64), nullable=False),
    Column("actor_name", String(120), nullable=False),
    Column("role", String(16)),
    Column("location", String(64)),  # where it happened (None: city-wide)
    Column("action", String(40), nullable=False),
    Column("ticket_id", String(64)),
    Column("ticket_number", String(16)),
    Column("appointment_id", String(64)),
    Column("case_id", String(64)),
    Column("target", String(120)),  # a desk, a device, an account, a ZGW client: never visitor data
    Column("prev_hash", String(64), nullable=False),
    Column("hash", String(64), nullable=False),
    Index("ix_audit_events_location_at", "location", "at"),
    Index("ix_audit_events_ticket", "ticket_id"),
)

idempotency_keys = Table(
    "idempotency_keys",
    metadata,
    Column("scope", String(64), primary_key=True),
    Column("key", String(128), primary_key=True),
    Column("request_hash", String(64), nullable=False),
    Column("status_code", Integer, nullable=False),
    Column("body", Text, nullable=False),
    Column("created_at", UTCDateTime, nullable=False),
)

events = Table(
    "events",
    metadata,
    Column("location", String(64), primary_key=True),
    Column("id", BigInteger().with_variant(Integer, "sqlite"), primary_key=True, autoincrement=False),
    Column("type", String(32), nullable=False),
    Column("audience", String(8), nullable=False),
    Column("data", Text, nullable=False),
    Column("created_at", UTCDateTime, nullable=False),
)

event_counters = Table(
    "event_counters",
    metadata,
    Column("location", String(64), primary_key=True),
    Column("last_id", BigInteger().with_variant(Integer, "sqlite"), nullable=False),
)

number_blocks = Table(
    "number_blocks",
    metadata,
    Column("id", String(32), primary_key=True),
    Column("location", String(64), nullable=False),
    Column("service", String(64), nullable=False),
    Column("letter", String(4), nullable=False),
    Column("business_day", Date, nullable=False),
    Column("first", Integer, nullable=False),
    Column("last", Integer, nullable=False),
    Column("device_id", String(32), nullable=False),
    Column("leased_at", UTCDateTime, nullable=False),
    Index("ix_number_blocks_device", "device_id", "service", "business_day"),
)

# ===================================================================================================
# Cases: zaken as ZGW Zaken 1.5.1 defines them, the Zaken API's clients, public reactions,
# the kiosk's case look-up attempts, and indexes for the service-norm report. Migrations 0003, 0009.

zaken = Table(
    "zaken",
    metadata,
    Column("uuid", String(36), primary_key=True),
    Column("identificatie", String(40), nullable=False),
    Column("bronorganisatie", String(9), nullable=False),
    Column("zaaktype", String(1000), nullable=False),
    Column("verantwoordelijke_organisatie", String(9), nullable=False),
    Column("omschrijving", String(80), nullable=False),
    Column("toelichting", Text, nullable=False),
    Column("registratiedatum", Date, nullable=False),
    Column("startdatum", Date, nullable=False),
    Column("einddatum", Date),
    Column("einddatum_gepland", Date),
    Column("uiterlijke_einddatum_afdoening", Date),
    Column("status", String(36)),
    Column("resultaat", String(36)),
    Column("created_at", UTCDateTime, nullable=False),
    # Migration 0009: the rest of ZGW's Zaak.
    Column("vertrouwelijkheidaanduiding", String(20), nullable=False, server_default="openbaar"),
    Column("archiefnominatie", String(32)),
    Column("archiefstatus", String(40), nullable=False, server_default="nog_te_archiveren"),
    Column("archiefactiedatum", Date),
    Column("hoofdzaak", String(36)),
    Column("attributes", JSON, nullable=False, server_default="{}"),
    UniqueConstraint("bronorganisatie", "identificatie"),
    Index("ix_zaken_hoofdzaak", "hoofdzaak"),
    Index("ix_zaken_identificatie", "identificatie"),
    Index("ix_zaken_zaaktype", "zaaktype", "created_at"),
)

zaak_statussen = Table(
    "zaak_statussen",
    metadata,
    Column("uuid", String(36), primary_key=True),
    Column("zaak", String(36), nullable=False),
    Column("statustype", String(36), nullable=False),
    Column("datum_status_gezet", UTCDateTime, nullable=False),
    Column("statustoelichting", String(1000), nullable=False),
    Column("created_at", UTCDateTime, nullable=False),
    Column("gezetdoor", String(200), nullable=False, server_default=""),
    Index("ix_zaak_statussen_zaak", "zaak", "datum_status_gezet"),
)

zaak_resultaten = Table(
    "zaak_resultaten",
    metadata,
    Column("uuid", String(36), primary_key=True),
    Column("zaak", String(36), nullable=False, unique=True),
    Column("resultaattype", String(36), nullable=False),
    Column("toelichting", String(1000), nullable=False),
    Column("created_at", UTCDateTime, nullable=False),
)

zaak_rollen = Table(
    "zaak_rollen",
    metadata,
    Column("uuid", String(36), primary_key=True),
    Column("zaak", String(36), nullable=False, index=True),
    Column("roltype", String(36), nullable=False),
    Column("betrokkene_type", String(32), nullable=False),
    Column("roltoelichting", String(1000), nullable=False),
    Column("address_hash", String(100)),
    Column("postcode_digits", String(4)),
    Column("emailadres", String(254)),
    Column("registratiedatum", UTCDateTime, nullable=False),
    Column("betrokkene", String(1000), nullable=False, server_default=""),
    Column("attributes", JSON, nullable=False, server_default="{}"),
)

zaak_counters = Table(
    "zaak_counters",
    metadata,
    Column("bronorganisatie", String(9), primary_key=True),
    Column("year", Integer, primary_key=True),
    Column("last_sequence", BigInteger().with_variant(Integer, "sqlite"), nullable=False),
)

zgw_clients = Table(
    "zgw_clients",
    metadata,
    Column("client_id", String(128), primary_key=True),
    Column("secret", String(256), nullable=False),
    Column("created_at", UTCDateTime, nullable=False),
)

zgw_autorisaties = Table(
    "zgw_autorisaties",
    metadata,
    Column("client_id", String(128), primary_key=True),
    Column("zaaktype", String(1000), primary_key=True),
    Column("scopes", String(512), nullable=False),
    Column("max_vertrouwelijkheidaanduiding", String(20), nullable=False, server_default="zeer_geheim"),
)

public_reactions = Table(
    "public_reactions",
    metadata,
    Column("zaak", String(36), primary_key=True),
    Column("location", String(64), nullable=False),
    Column("kind", String(16), nullable=False),
    Column("device_id", String(32)),
    Column("created_at", UTCDateTime, nullable=False),
)

case_lookup_attempts = Table(
    "case_lookup_attempts",
    metadata,
    Column("id", BigInteger().with_variant(Integer, "sqlite"), primary_key=True, autoincrement=True),
    Column("subject", String(80), nullable=False),
    Column("at", UTCDateTime, nullable=False),
    Index("ix_case_lookup_attempts_subject", "subject", "at"),
)

# The service-norm report reads a year of one location's ticket steps: an index it can answer from.
Index("ix_ticket_steps_norms", ticket_steps.c.location, ticket_steps.c.step, ticket_steps.c.at,
      ticket_steps.c.ticket_id, ticket_steps.c.service)

push_subscriptions = Table(
    "push_subscriptions",
    metadata,
    Column("id", String(32), primary_key=True),
    Column("ticket_id", String(32), nullable=False),
    Column("location", String(64), nullable=False),
    Column("business_day", Date, nullable=False),
    Column("number", String(16), nullable=False),
    Column("service", String(64), nullable=False),
    Column("language", String(8), nullable=False),
    Column("endpoint", String(2048), nullable=False),
    Column("p256dh", String(128), nullable=False),
    Column("auth", String(64), nullable=False),
    Column("created_at", UTCDateTime, nullable=False),
    Column("near_sent", Boolean, nullable=False, default=False),
    # The latest event a push was claimed for: several server processes see every event, and only
    # the one that moves this on sends its push.
    Column("last_event_id", Integer, nullable=False, default=0),
    Index("ix_push_subscriptions_ticket", "ticket_id"),
    Index("ix_push_subscriptions_number", "location", "business_day", "number"),
)

push_keys = Table(
    "push_keys",
    metadata,
    Column("id", String(16), primary_key=True),
    Column("private_key", String(512), nullable=False),
    Column("public_key", String(128), nullable=False),
    Column("created_at", UTCDateTime, nullable=False),
)
