"""declarations.decision compressed with lz4 on PostgreSQL

A decision's JSON text (about 3 KB) is stored out of line and compressed;
PostgreSQL's default compression (pglz) costs the server more CPU per row in
a bulk upload than lz4. Only new values are affected; SQLite, and PostgreSQL
servers older than 14 or built without lz4, are left as they are.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-23 18:10:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def _lz4_available() -> bool:
    bind = op.get_bind()
    if bind.dialect.name != "postgresql":
        return False
    return bool(
        bind.execute(
            sa.text(
                "SELECT current_setting('server_version_num')::int >= 140000 AND EXISTS ("
                " SELECT 1 FROM pg_settings"
                " WHERE name = 'default_toast_compression' AND 'lz4' = ANY(enumvals))"
            )
        ).scalar()
    )


def upgrade() -> None:
    if _lz4_available():
        op.execute("ALTER TABLE declarations ALTER COLUMN decision SET COMPRESSION lz4")


def downgrade() -> None:
    if _lz4_available():
        op.execute("ALTER TABLE declarations ALTER COLUMN decision SET COMPRESSION default")
