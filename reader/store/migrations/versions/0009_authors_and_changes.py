"""A team library: who made each annotation and when it last changed, and the log of changes
other clients of a shared (PostgreSQL) library read to stay up to date.

Revision ID: 0009
Revises: 0008
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None

# SQLite's INTEGER PRIMARY KEY is its 64-bit rowid; PostgreSQL needs BIGINT said.
SEQ = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def upgrade() -> None:
    for table in ("highlights", "takeaways", "related"):
        op.add_column(table, sa.Column("author", sa.Text(), nullable=False, server_default=""))
    op.add_column("takeaways", sa.Column("updated_at", sa.DateTime(), nullable=True))
    op.add_column("related", sa.Column("created_at", sa.DateTime(), nullable=True))
    op.add_column("episodes", sa.Column("notes_author", sa.Text(), nullable=False,
                                        server_default=""))
    op.create_table(
        "changes",
        sa.Column("seq", SEQ, primary_key=True, autoincrement=True),
        sa.Column("episode_id", sa.String(64), nullable=False),
        sa.Column("parts", sa.Integer(), nullable=False),
        sa.Column("client", sa.String(36), nullable=False, server_default=""),
        sa.Column("author", sa.Text(), nullable=False, server_default=""),
        sa.Column("at", sa.DateTime(), nullable=False),
    )


def downgrade() -> None:
    op.drop_table("changes")
    with op.batch_alter_table("episodes") as batch:
        batch.drop_column("notes_author")
    with op.batch_alter_table("related") as batch:
        batch.drop_column("created_at")
        batch.drop_column("author")
    with op.batch_alter_table("takeaways") as batch:
        batch.drop_column("updated_at")
        batch.drop_column("author")
    with op.batch_alter_table("highlights") as batch:
        batch.drop_column("author")
