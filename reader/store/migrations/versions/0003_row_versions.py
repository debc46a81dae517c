"""Row versions, so a write made from an old read is refused instead of overwriting.

Takeaways, related links and highlights each carry a version; an episode carries one for its
Notes. List positions are spread 1,024 apart so that moving one item rewrites one row.

Revision ID: 0003
Revises: 0002
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None

POSITION_STEP = 1024


def upgrade() -> None:
    for table in ("takeaways", "related", "highlights"):
        op.add_column(table, sa.Column("version", sa.Integer(), nullable=False,
                                       server_default="1"))
    op.add_column("highlights", sa.Column("source_quote", sa.Text(), nullable=True))
    op.add_column("episodes", sa.Column("index_generation", sa.Integer(), nullable=False,
                                        server_default="0"))
    op.add_column("episodes", sa.Column("notes_version", sa.Integer(), nullable=False,
                                        server_default="1"))
    for table in ("takeaways", "related"):
        op.execute(f"UPDATE {table} SET position = (position + 1) * {POSITION_STEP}")
    # Notes read before this revision had their blank lines and trailing rules dropped.
    op.add_column("episodes", sa.Column("legacy_notes", sa.Boolean(), nullable=False,
                                        server_default=sa.false()))
    # (An expression, not SQL text: PostgreSQL's boolean is not the integer 1.)
    op.execute(sa.table("episodes", sa.column("legacy_notes", sa.Boolean()))
               .update().values(legacy_notes=True))
    # The hash of a write-back under way: a crash after the file was replaced and before the
    # library recorded it leaves the file the next write-back recognises as its own.
    # (A table of its own: updating the episode row would rewrite its transcript too.)
    op.create_table(
        "pending_writes",
        sa.Column("episode_id", sa.String(64), sa.ForeignKey("episodes.id", ondelete="CASCADE"),
                  primary_key=True),
        sa.Column("content_hash", sa.String(64), nullable=False),
    )


def downgrade() -> None:
    op.drop_table("pending_writes")
    for table in ("takeaways", "related"):
        op.execute(f"UPDATE {table} SET position = position / {POSITION_STEP} - 1")
    with op.batch_alter_table("episodes") as batch:
        batch.drop_column("notes_version")
        batch.drop_column("legacy_notes")
        batch.drop_column("index_generation")

    for table in ("takeaways", "related", "highlights"):
        with op.batch_alter_table(table) as batch:
            batch.drop_column("version")
            if table == "highlights":
                batch.drop_column("source_quote")
