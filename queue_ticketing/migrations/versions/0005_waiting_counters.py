"""waiting tickets counted per location and service

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-28 22:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "waiting_counters",
        sa.Column("location", sa.String(length=64), nullable=False),
        sa.Column("service", sa.String(length=64), nullable=False),
        sa.Column("waiting", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("location", "service", name=op.f("pk_waiting_counters")),
    )
    # The tickets already waiting, counted once; from here on every status change keeps the count.
    op.execute("INSERT INTO waiting_counters (location, service, waiting) "
               "SELECT location, service, count(*) FROM tickets WHERE status = 'waiting' "
               "GROUP BY location, service")


def downgrade() -> None:
    op.drop_table("waiting_counters")
