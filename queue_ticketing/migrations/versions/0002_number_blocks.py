"""number blocks leased to kiosks for offline tickets

Revision ID: 0002
Revises: 0001
Create Date: 2026-12-01 10:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import queue_ticketing.store.schema

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "number_blocks",
        sa.Column("id", sa.String(length=32), nullable=False),
        sa.Column("location", sa.String(length=64), nullable=False),
        sa.Column("service", sa.String(length=64), nullable=False),
        sa.Column("letter", sa.String(length=4), nullable=False),
        sa.Column("business_day", sa.Date(), nullable=False),
        sa.Column("first", sa.Integer(), nullable=False),
        sa.Column("last", sa.Integer(), nullable=False),
        sa.Column("device_id", sa.String(length=32), nullable=False),
        sa.Column("leased_at", queue_ticketing.store.schema.UTCDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_number_blocks")),
    )
    with op.batch_alter_table("number_blocks", schema=None) as batch_op:
        batch_op.create_index("ix_number_blocks_device", ["device_id", "service", "business_day"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("number_blocks", schema=None) as batch_op:
        batch_op.drop_index("ix_number_blocks_device")
    op.drop_table("number_blocks")
