"""several services in one visit: a ticket's services in order and the current one

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-03 14:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0014"
down_revision = "0013"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # ``services`` stays nullable and ``service_index`` has a server default: the release before
    # keeps inserting tickets during a rolling upgrade, and the store reads NULL as the one service.
    with op.batch_alter_table("tickets", schema=None) as batch_op:
        batch_op.add_column(sa.Column("services", sa.String(length=200), nullable=True))
        batch_op.add_column(sa.Column("service_index", sa.Integer(), server_default="0", nullable=False))
    op.execute("UPDATE tickets SET services = service WHERE services IS NULL")


def downgrade() -> None:
    with op.batch_alter_table("tickets", schema=None) as batch_op:
        batch_op.drop_column("service_index")
        batch_op.drop_column("services")
