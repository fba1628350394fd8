"""the rest of ZGW's Zaak, Status and Rol; confidentiality limits per client and zaaktype

Revision ID: 0009
Revises: 0010
Create Date: 2026-12-03 10:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0010"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Every new column has a server default (or is nullable): existing rows keep their meaning, and on
    # PostgreSQL adding them rewrites nothing. Widening zaaktype lets a case belong to a type of an
    # external Catalogi API, named by its URL.
    with op.batch_alter_table("zaken", schema=None) as batch_op:
        batch_op.alter_column("zaaktype", existing_type=sa.String(length=64), type_=sa.String(length=1000),
                              existing_nullable=False)
        batch_op.add_column(sa.Column("vertrouwelijkheidaanduiding", sa.String(length=20), nullable=False,
                                      server_default="openbaar"))
        batch_op.add_column(sa.Column("archiefnominatie", sa.String(length=32), nullable=True))
        batch_op.add_column(sa.Column("archiefstatus", sa.String(length=40), nullable=False,
                                      server_default="nog_te_archiveren"))
        batch_op.add_column(sa.Column("archiefactiedatum", sa.Date(), nullable=True))
        batch_op.add_column(sa.Column("hoofdzaak", sa.String(length=36), nullable=True))
        batch_op.add_column(sa.Column("attributes", sa.JSON(), nullable=False, server_default="{}"))
        batch_op.create_index("ix_zaken_hoofdzaak", ["hoofdzaak"], unique=False)
    with op.batch_alter_table("zaak_statussen", schema=None) as batch_op:
        batch_op.add_column(sa.Column("gezetdoor", sa.String(length=200), nullable=False, server_default=""))
    with op.batch_alter_table("zaak_rollen", schema=None) as batch_op:
        batch_op.add_column(sa.Column("betrokkene", sa.String(length=1000), nullable=False, server_default=""))
        batch_op.add_column(sa.Column("attributes", sa.JSON(), nullable=False, server_default="{}"))
    with op.batch_alter_table("zgw_autorisaties", schema=None) as batch_op:
        batch_op.alter_column("zaaktype", existing_type=sa.String(length=64), type_=sa.String(length=1000),
                              existing_nullable=False)
        batch_op.add_column(sa.Column("max_vertrouwelijkheidaanduiding", sa.String(length=20), nullable=False,
                                      server_default="zeer_geheim"))


def downgrade() -> None:
    with op.batch_alter_table("zgw_autorisaties", schema=None) as batch_op:
        batch_op.drop_column("max_vertrouwelijkheidaanduiding")
        batch_op.alter_column("zaaktype", existing_type=sa.String(length=1000), type_=sa.String(length=64),
                              existing_nullable=False)
    with op.batch_alter_table("zaak_rollen", schema=None) as batch_op:
        batch_op.drop_column("attributes")
        batch_op.drop_column("betrokkene")
    with op.batch_alter_table("zaak_statussen", schema=None) as batch_op:
        batch_op.drop_column("gezetdoor")
    with op.batch_alter_table("zaken", schema=None) as batch_op:
        batch_op.drop_index("ix_zaken_hoofdzaak")
        batch_op.drop_column("attributes")
        batch_op.drop_column("hoofdzaak")
        batch_op.drop_column("archiefactiedatum")
        batch_op.drop_column("archiefstatus")
        batch_op.drop_column("archiefnominatie")
        batch_op.drop_column("vertrouwelijkheidaanduiding")
        batch_op.alter_column("zaaktype", existing_type=sa.String(length=1000), type_=sa.String(length=64),
                              existing_nullable=False)
