"""the latest status of each device (heartbeats), for the alerts

Revision ID: 0010
Revises: 0012
Create Date: 2026-12-03 10:00:00

Expand only: a new table. A process of the previous release never reads or writes it.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import queue_ticketing.store.schema

revision = "0010"
down_revision = "0012"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "device_heartbeats",
        sa.Column("device_id", sa.String(length=32), nullable=False),
        sa.Column("location", sa.String(length=64), nullable=True),
        sa.Column("name", sa.String(length=64), nullable=False),
        sa.Column("role", sa.String(length=16), nullable=False),
        sa.Column("seen_at", queue_ticketing.store.schema.UTCDateTime(), nullable=False),
        sa.Column("online", sa.Boolean(), nullable=False),
        sa.Column("printer", sa.String(length=16), nullable=True),
        sa.Column("battery_percent", sa.Integer(), nullable=True),
        sa.PrimaryKeyConstraint("device_id", name=op.f("pk_device_heartbeats")),
    )


def downgrade() -> None:
    op.drop_table("device_heartbeats")
