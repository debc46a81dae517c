"""Bundled samples are marked in the library, not recognised by where they were read from.

A library made by one installation and used by another (an editable checkout, then a pip
install) saw the samples' files at another path: they passed for the user's notes and a
write-back rewrote the checkout's files. Rows read from a ``seeds`` folder under a bundled
sample's file name are marked.

Revision ID: 0004
Revises: 0003
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("episodes", sa.Column("sample", sa.Boolean(), nullable=False, server_default=sa.false()))
    episodes = sa.table("episodes", sa.column("source_path", sa.String), sa.column("sample", sa.Boolean))
    for separator in ("/", "\\"):
        op.execute(episodes.update()
                   .where(episodes.c.source_path.like(f"%{separator}seeds{separator}___\\_%.txt", escape="\\"))
                   .values(sample=True))


def downgrade() -> None:
    with op.batch_alter_table("episodes") as batch:
        batch.drop_column("sample")
