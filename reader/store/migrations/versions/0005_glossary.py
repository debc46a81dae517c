"""The glossary: canonical names and their spellings in the transcripts.

Revision ID: 0005
Revises: 0004
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "glossary",
        sa.Column("key", sa.String(200), primary_key=True),
        sa.Column("spelling", sa.Text(), nullable=False),
        sa.Column("canonical_key", sa.String(200), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
    )
    op.create_index("ix_glossary_canonical_key", "glossary", ["canonical_key"])


def downgrade() -> None:
    op.drop_index("ix_glossary_canonical_key", table_name="glossary")
    op.drop_table("glossary")
