"""delivery: the owner and the lease of a claimed outbox row

Revision ID: 0004_delivery
Revises: 0003_web
"""

from __future__ import annotations

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision = "0004_delivery"
down_revision = "0003_web"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("notification", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("claimed_by", sqlmodel.sql.sqltypes.AutoString(length=40), nullable=True)
        )
        batch_op.add_column(
            sa.Column("lease_until", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True)
        )


def downgrade() -> None:
    with op.batch_alter_table("notification", schema=None) as batch_op:
        batch_op.drop_column("lease_until")
        batch_op.drop_column("claimed_by")
