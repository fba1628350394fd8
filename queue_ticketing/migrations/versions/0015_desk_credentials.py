"""a desk's credentials name their desk: a device token made for one desk, a session at the desk it took

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-03 16:30:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0015"
down_revision = "0014"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Nullable: every other role's credentials have no desk, and the release before keeps inserting
    # devices and sessions without one during a rolling upgrade.
    with op.batch_alter_table("devices", schema=None) as batch_op:
        batch_op.add_column(sa.Column("desk", sa.String(length=64), nullable=True))
    with op.batch_alter_table("staff_sessions", schema=None) as batch_op:
        batch_op.add_column(sa.Column("desk", sa.String(length=64), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("staff_sessions", schema=None) as batch_op:
        batch_op.drop_column("desk")
    with op.batch_alter_table("devices", schema=None) as batch_op:
        batch_op.drop_column("desk")
