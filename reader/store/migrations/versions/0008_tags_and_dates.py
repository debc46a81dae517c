"""Tags on highlights; the dates the Notebook lists takeaways and Notes by; an episode's tags
read from its YAML ``tags`` too (before, only its ``**Tags:**`` line's were kept).

Revision ID: 0008
Revises: 0007
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from reader.core import note
from reader.core import tags as tagging

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("highlights", sa.Column("tags", sa.Text(), nullable=False, server_default=""))
    op.add_column("takeaways", sa.Column("created_at", sa.DateTime(), nullable=True))
    op.add_column("episodes", sa.Column("notes_changed_at", sa.DateTime(), nullable=True))
    # Only a note with YAML front matter can have tags the old import left out.
    connection = op.get_bind()
    rows = connection.execute(sa.text(
        "SELECT id, tags, source_text FROM episodes WHERE source_text LIKE '---%' "
        "OR source_text LIKE '\ufeff---%'")).all()
    for episode_id, old, text in rows:
        try:
            episode = note.parse(text)
        except note.NoteError:
            continue
        wanted = " ".join(tagging.unique([*tagging.parse(old or ""), *tagging.of_episode(episode)]))
        if wanted != (old or ""):
            connection.execute(sa.text("UPDATE episodes SET tags = :tags WHERE id = :id"),
                               {"tags": wanted, "id": episode_id})


def downgrade() -> None:
    with op.batch_alter_table("episodes") as batch:
        batch.drop_column("notes_changed_at")
    with op.batch_alter_table("takeaways") as batch:
        batch.drop_column("created_at")
    with op.batch_alter_table("highlights") as batch:
        batch.drop_column("tags")
