"""An episode's real length, as the user gives it to calibrate estimated times, and the audio
or video file attached to listen along with.

Revision ID: 0007
Revises: 0006
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("episodes", sa.Column("duration", sa.Float(), nullable=True))
    op.add_column("episodes", sa.Column("media_path", sa.Text(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("episodes") as batch:
        batch.drop_column("media_path")
        batch.drop_column("duration")
