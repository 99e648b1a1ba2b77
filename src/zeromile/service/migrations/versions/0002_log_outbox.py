"""log outbox: decisions committed but not yet appended to the transparency log

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-23 16:12:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "log_outbox",
        sa.Column("outbox_id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("declaration_id", sa.String(length=64), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("last_error", sa.Text(), nullable=True),
        sa.Column("next_attempt_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["declaration_id"], ["declarations.declaration_id"]),
        sa.PrimaryKeyConstraint("outbox_id"),
    )
    with op.batch_alter_table("log_outbox", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_log_outbox_declaration_id"), ["declaration_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_log_outbox_next_attempt_at"), ["next_attempt_at"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("log_outbox", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_log_outbox_next_attempt_at"))
        batch_op.drop_index(batch_op.f("ix_log_outbox_declaration_id"))
    op.drop_table("log_outbox")
