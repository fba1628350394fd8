"""appointments read by location and time, for free slots

Revision ID: 0011
Revises: 0006
Create Date: 2026-12-03 10:00:00
"""

from __future__ import annotations

from alembic import op

revision = "0011"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index("ix_appointments_calendar", "appointments", ["location", "starts_at"])


def downgrade() -> None:
    op.drop_index("ix_appointments_calendar", table_name="appointments")
