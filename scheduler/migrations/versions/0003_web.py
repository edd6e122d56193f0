"""web tokens: personal links, sign-in links, sessions and forms

Revision ID: 0003_web
Revises: 0002
"""

from __future__ import annotations

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision = "0003_web"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "web_token",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("token_hash", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("purpose", sqlmodel.sql.sqltypes.AutoString(length=10), nullable=False),
        sa.Column("person_id", sqlmodel.sql.sqltypes.AutoString(length=80), nullable=False),
        sa.Column("occurrence_id", sa.Integer(), nullable=True),
        sa.Column("parent_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column("expires_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column("used_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
        sa.Column("revoked_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
        sa.ForeignKeyConstraint(["occurrence_id"], ["occurrence.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("token_hash"),
    )
    with op.batch_alter_table("web_token", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_web_token_occurrence_id"), ["occurrence_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_web_token_person_id"), ["person_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("web_token", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_web_token_person_id"))
        batch_op.drop_index(batch_op.f("ix_web_token_occurrence_id"))
    op.drop_table("web_token")
