"""cases (ZGW zaken), Zaken API clients, public reactions, case look-up attempts, report index

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-28 21:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import queue_ticketing.store.schema

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None

UTC_DATETIME = queue_ticketing.store.schema.UTCDateTime(timezone=True)
SERIAL = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def upgrade() -> None:
    op.create_table(
        "zaken",
        sa.Column("uuid", sa.String(length=36), nullable=False),
        sa.Column("identificatie", sa.String(length=40), nullable=False),
        sa.Column("bronorganisatie", sa.String(length=9), nullable=False),
        sa.Column("zaaktype", sa.String(length=64), nullable=False),
        sa.Column("verantwoordelijke_organisatie", sa.String(length=9), nullable=False),
        sa.Column("omschrijving", sa.String(length=80), nullable=False),
        sa.Column("toelichting", sa.Text(), nullable=False),
        sa.Column("registratiedatum", sa.Date(), nullable=False),
        sa.Column("startdatum", sa.Date(), nullable=False),
        sa.Column("einddatum", sa.Date(), nullable=True),
        sa.Column("einddatum_gepland", sa.Date(), nullable=True),
        sa.Column("uiterlijke_einddatum_afdoening", sa.Date(), nullable=True),
        sa.Column("status", sa.String(length=36), nullable=True),
        sa.Column("resultaat", sa.String(length=36), nullable=True),
        sa.Column("created_at", UTC_DATETIME, nullable=False),
        sa.PrimaryKeyConstraint("uuid", name=op.f("pk_zaken")),
        sa.UniqueConstraint("bronorganisatie", "identificatie", name=op.f("uq_zaken_bronorganisatie_identificatie")),
    )
    with op.batch_alter_table("zaken", schema=None) as batch_op:
        batch_op.create_index("ix_zaken_identificatie", ["identificatie"], unique=False)
        batch_op.create_index("ix_zaken_zaaktype", ["zaaktype", "created_at"], unique=False)

    op.create_table(
        "zaak_statussen",
        sa.Column("uuid", sa.String(length=36), nullable=False),
        sa.Column("zaak", sa.String(length=36), nullable=False),
        sa.Column("statustype", sa.String(length=36), nullable=False),
        sa.Column("datum_status_gezet", UTC_DATETIME, nullable=False),
        sa.Column("statustoelichting", sa.String(length=1000), nullable=False),
        sa.Column("created_at", UTC_DATETIME, nullable=False),
        sa.PrimaryKeyConstraint("uuid", name=op.f("pk_zaak_statussen")),
    )
    with op.batch_alter_table("zaak_statussen", schema=None) as batch_op:
        batch_op.create_index("ix_zaak_statussen_zaak", ["zaak", "datum_status_gezet"], unique=False)

    op.create_table(
        "zaak_resultaten",
        sa.Column("uuid", sa.String(length=36), nullable=False),
        sa.Column("zaak", sa.String(length=36), nullable=False),
        sa.Column("resultaattype", sa.String(length=36), nullable=False),
        sa.Column("toelichting", sa.String(length=1000), nullable=False),
        sa.Column("created_at", UTC_DATETIME, nullable=False),
        sa.PrimaryKeyConstraint("uuid", name=op.f("pk_zaak_resultaten")),
        sa.UniqueConstraint("zaak", name=op.f("uq_zaak_resultaten_zaak")),
    )
    op.create_table(
        "zaak_rollen",
        sa.Column("uuid", sa.String(length=36), nullable=False),
        sa.Column("zaak", sa.String(length=36), nullable=False),
        sa.Column("roltype", sa.String(length=36), nullable=False),
        sa.Column("betrokkene_type", sa.String(length=32), nullable=False),
        sa.Column("roltoelichting", sa.String(length=1000), nullable=False),
        sa.Column("address_hash", sa.String(length=100), nullable=True),
        sa.Column("postcode_digits", sa.String(length=4), nullable=True),
        sa.Column("emailadres", sa.String(length=254), nullable=True),
        sa.Column("registratiedatum", UTC_DATETIME, nullable=False),
        sa.PrimaryKeyConstraint("uuid", name=op.f("pk_zaak_rollen")),
    )
    with op.batch_alter_table("zaak_rollen", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_zaak_rollen_zaak"), ["zaak"], unique=False)

    op.create_table(
        "zaak_counters",
        sa.Column("bronorganisatie", sa.String(length=9), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("last_sequence", SERIAL, nullable=False),
        sa.PrimaryKeyConstraint("bronorganisatie", "year", name=op.f("pk_zaak_counters")),
    )
    op.create_table(
        "zgw_clients",
        sa.Column("client_id", sa.String(length=128), nullable=False),
        sa.Column("secret", sa.String(length=256), nullable=False),
        sa.Column("created_at", UTC_DATETIME, nullable=False),
        sa.PrimaryKeyConstraint("client_id", name=op.f("pk_zgw_clients")),
    )
    op.create_table(
        "zgw_autorisaties",
        sa.Column("client_id", sa.String(length=128), nullable=False),
        sa.Column("zaaktype", sa.String(length=64), nullable=False),
        sa.Column("scopes", sa.String(length=512), nullable=False),
        sa.PrimaryKeyConstraint("client_id", "zaaktype", name=op.f("pk_zgw_autorisaties")),
    )
    op.create_table(
        "public_reactions",
        sa.Column("zaak", sa.String(length=36), nullable=False),
        sa.Column("location", sa.String(length=64), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("device_id", sa.String(length=32), nullable=True),
        sa.Column("created_at", UTC_DATETIME, nullable=False),
        sa.PrimaryKeyConstraint("zaak", name=op.f("pk_public_reactions")),
    )
    op.create_table(
        "case_lookup_attempts",
        sa.Column("id", SERIAL, autoincrement=True, nullable=False),
        sa.Column("subject", sa.String(length=80), nullable=False),
        sa.Column("at", UTC_DATETIME, nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_case_lookup_attempts")),
    )
    with op.batch_alter_table("case_lookup_attempts", schema=None) as batch_op:
        batch_op.create_index("ix_case_lookup_attempts_subject", ["subject", "at"], unique=False)

    with op.batch_alter_table("ticket_steps", schema=None) as batch_op:
        batch_op.create_index("ix_ticket_steps_norms", ["location", "step", "at", "ticket_id", "service"],
                              unique=False)


def downgrade() -> None:
    with op.batch_alter_table("ticket_steps", schema=None) as batch_op:
        batch_op.drop_index("ix_ticket_steps_norms")
    with op.batch_alter_table("case_lookup_attempts", schema=None) as batch_op:
        batch_op.drop_index("ix_case_lookup_attempts_subject")
    op.drop_table("case_lookup_attempts")
    op.drop_table("public_reactions")
    op.drop_table("zgw_autorisaties")
    op.drop_table("zgw_clients")
    op.drop_table("zaak_counters")
    with op.batch_alter_table("zaak_rollen", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_zaak_rollen_zaak"))
    op.drop_table("zaak_rollen")
    op.drop_table("zaak_resultaten")
    with op.batch_alter_table("zaak_statussen", schema=None) as batch_op:
        batch_op.drop_index("ix_zaak_statussen_zaak")
    op.drop_table("zaak_statussen")
    with op.batch_alter_table("zaken", schema=None) as batch_op:
        batch_op.drop_index("ix_zaken_zaaktype")
        batch_op.drop_index("ix_zaken_identificatie")
    op.drop_table("zaken")
