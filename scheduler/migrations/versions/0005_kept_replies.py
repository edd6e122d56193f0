"""kept replies: bot answers waiting out a Bot API fault, sent on the next start

Revision ID: 0005_kept_replies
Revises: 0004_delivery
"""

from __future__ import annotations

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision = "0005_kept_replies"
down_revision = "0004_delivery"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "kept_reply",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("endpoint", sqlmodel.sql.sqltypes.AutoString(length=40), nullable=False),
        sa.Column("parameters_json", sa.Text(), nullable=False),
        sa.Column("kept_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column("delivered_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("kept_reply", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_kept_reply_delivered_at"), ["delivered_at"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("kept_reply", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_kept_reply_delivered_at"))
    op.drop_table("kept_reply")
