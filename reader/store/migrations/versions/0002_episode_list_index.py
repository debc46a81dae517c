"""A covering index for the episode list, so listing never reads a transcript.

Revision ID: 0002
Revises: 0001
"""

from __future__ import annotations

from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index("ix_episodes_list", "episodes",
                    ["title", "id", "show", "word_count", "source_path", "last_opened"])


def downgrade() -> None:
    op.drop_index("ix_episodes_list", table_name="episodes")
