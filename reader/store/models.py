"""The SQLite schema as SQLAlchemy 2.0 typed models.

Any change here needs an Alembic revision in ``migrations/versions`` (a test compares them).
"""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import (
    BigInteger,
    Float,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    String,
    Text,
    false,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

INDEX_CLEAN = 0
INDEX_ANNOTATIONS = 1
INDEX_ALL = 2
# List items sit this far apart, so an item moved or inserted between two gets a position of
# its own without renumbering the rest (migration 0003).
POSITION_STEP = 1024


def _utc_now() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)


class Base(DeclarativeBase):
    pass


class EpisodeRow(Base):
    __tablename__ = "episodes"

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    title: Mapped[str] = mapped_column(Text)
    show: Mapped[str] = mapped_column(Text, default="")
    video_id: Mapped[str | None] = mapped_column(String(64))
    source_url: Mapped[str | None] = mapped_column(Text)
    # The episode's tags, space-separated without "#": its **Tags:** line's and its YAML's
    # as read, with the reader's changes (written back onto the line / out of the YAML).
    tags: Mapped[str] = mapped_column(Text, default="")
    word_count: Mapped[int] = mapped_column(Integer, default=0)
    transcript: Mapped[str] = mapped_column(Text, deferred=True)
    # The note exactly as read from disk: rendering starts from it so untouched bytes survive.
    source_text: Mapped[str] = mapped_column(Text, deferred=True)
    source_path: Mapped[str | None] = mapped_column(Text)
    content_hash: Mapped[str] = mapped_column(String(64), default="")
    source_mtime: Mapped[float | None] = mapped_column(Float)
    notes: Mapped[str] = mapped_column(Text, default="")
    # Bumped on every change of ``notes``: a write based on an older one is merged, not applied.
    notes_version: Mapped[int] = mapped_column(Integer, default=1, server_default="1")
    notes_changed_at: Mapped[datetime | None]  # when the Notes last changed (the Notebook's date)
    notes_author: Mapped[str] = mapped_column(Text, default="", server_default="")  # who, in a team library
    # ``notes`` as versions before 0.2 read the file: blank lines and rules around them
    # dropped. Such notes, unchanged since, are not written back (they are the file's own).
    legacy_notes: Mapped[bool] = mapped_column(default=False, server_default=false())
    # A bundled sample (the migration 0004 docstring says why it is a mark, not a path).
    sample: Mapped[bool] = mapped_column(default=False, server_default=false())
    imported_at: Mapped[datetime]
    updated_at: Mapped[datetime]
    last_opened: Mapped[datetime | None]
    scroll_position: Mapped[int] = mapped_column(Integer, default=0)
    # The episode's real length (seconds) as the user gave it: the estimated word times of an
    # episode without subtitles are spread over it.
    duration: Mapped[float | None] = mapped_column(Float)
    media_path: Mapped[str | None] = mapped_column(Text)  # audio/video attached to listen along
    # What the search index still lacks (INDEX_* below); cleared once the index has it, so a
    # crash between the database commit and the index update is repaired on the next open.
    index_dirty: Mapped[int] = mapped_column(Integer, default=2)
    # Bumped whenever ``index_dirty`` is set: the index clears the flag only where the row is
    # still at the generation it indexed (compare-and-set), so a change made by another
    # process while a rebuild read the rows is not marked as indexed.
    index_generation: Mapped[int] = mapped_column(Integer, default=0, server_default="0")

    takeaways: Mapped[list[TakeawayRow]] = relationship(
        order_by="TakeawayRow.position", cascade="all, delete-orphan"
    )
    related: Mapped[list[RelatedRow]] = relationship(
        order_by="RelatedRow.position", cascade="all, delete-orphan",
        foreign_keys="RelatedRow.episode_id",
    )
    highlights: Mapped[list[HighlightRow]] = relationship(
        order_by="HighlightRow.start", cascade="all, delete-orphan"
    )

    # The episode list reads only these columns; from the table, SQLite walks every row's
    # transcript overflow pages to reach source_path and last_opened (1,000 episodes: 30 ms;
    # from this covering index: 0.6 ms). Migration 0002.
    __table_args__ = (
        Index("ix_episodes_list", "title", "id", "show", "word_count", "source_path", "last_opened"),
    )


class TakeawayRow(Base):
    __tablename__ = "takeaways"

    id: Mapped[int] = mapped_column(primary_key=True)
    episode_id: Mapped[str] = mapped_column(ForeignKey("episodes.id", ondelete="CASCADE"))
    position: Mapped[int]
    text: Mapped[str] = mapped_column(Text)
    highlight_id: Mapped[int | None] = mapped_column(
        ForeignKey("highlights.id", ondelete="SET NULL")
    )
    version: Mapped[int] = mapped_column(Integer, default=1, server_default="1")
    # None: from before migration 0008 (the Notebook dates it by the episode's import).
    created_at: Mapped[datetime | None] = mapped_column(default=_utc_now)
    updated_at: Mapped[datetime | None] = mapped_column(default=_utc_now, onupdate=_utc_now)
    # Who wrote it: the display name of Preferences ("" before migration 0009).
    author: Mapped[str] = mapped_column(Text, default="", server_default="")

    __table_args__ = (Index("ix_takeaways_episode", "episode_id", "position"),)


class RelatedRow(Base):
    __tablename__ = "related"

    id: Mapped[int] = mapped_column(primary_key=True)
    episode_id: Mapped[str] = mapped_column(ForeignKey("episodes.id", ondelete="CASCADE"))
    position: Mapped[int]
    text: Mapped[str] = mapped_column(Text)
    # Another episode of the library; no foreign key, so a link outlives its target.
    target_id: Mapped[str | None] = mapped_column(String(64))
    version: Mapped[int] = mapped_column(Integer, default=1, server_default="1")
    author: Mapped[str] = mapped_column(Text, default="", server_default="")
    created_at: Mapped[datetime | None] = mapped_column(default=_utc_now)

    __table_args__ = (Index("ix_related_episode", "episode_id", "position"),)


class HighlightRow(Base):
    __tablename__ = "highlights"

    id: Mapped[int] = mapped_column(primary_key=True)
    episode_id: Mapped[str] = mapped_column(ForeignKey("episodes.id", ondelete="CASCADE"))
    start: Mapped[int]
    end: Mapped[int]
    quote: Mapped[str] = mapped_column(Text)
    prefix: Mapped[str] = mapped_column(Text, default="")
    suffix: Mapped[str] = mapped_column(Text, default="")
    colour: Mapped[str] = mapped_column(String(16), default="yellow")
    comment: Mapped[str] = mapped_column(Text, default="")
    transcript_hash: Mapped[str] = mapped_column(String(64), default="")
    orphan: Mapped[bool] = mapped_column(default=False)
    # The quote as the note file wrote it, where a fuzzy re-anchoring moved it to other words.
    source_quote: Mapped[str | None] = mapped_column(Text)
    version: Mapped[int] = mapped_column(Integer, default=1, server_default="1")
    tags: Mapped[str] = mapped_column(Text, default="", server_default="")  # space-separated, no "#"
    author: Mapped[str] = mapped_column(Text, default="", server_default="")
    created_at: Mapped[datetime]
    updated_at: Mapped[datetime]

    __table_args__ = (Index("ix_highlights_episode", "episode_id", "start"),)


class PendingWriteRow(Base):
    """The content hash a write-back under way is writing onto the episode's source: a crash
    after the file was replaced leaves a file the next write-back recognises as its own. A
    table of its own, so recording it never rewrites the episode row (and its transcript)."""

    __tablename__ = "pending_writes"

    episode_id: Mapped[str] = mapped_column(
        ForeignKey("episodes.id", ondelete="CASCADE"), primary_key=True)
    content_hash: Mapped[str] = mapped_column(String(64))


class SupersededRow(Base):
    """A file's annotations that lost to the database's on import, kept retrievable."""

    __tablename__ = "superseded"

    id: Mapped[int] = mapped_column(primary_key=True)
    episode_id: Mapped[str] = mapped_column(String(64), index=True)
    source_path: Mapped[str | None] = mapped_column(Text)
    note_text: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime]


class GlossaryRow(Base):
    """One spelling of the glossary: a canonical name (``canonical_key == key``) or one of
    its variants. A spelling's key (reader.core.glossary.key_of) is unique: it belongs to
    one entry."""

    __tablename__ = "glossary"

    key: Mapped[str] = mapped_column(String(200), primary_key=True)
    spelling: Mapped[str] = mapped_column(Text)
    canonical_key: Mapped[str] = mapped_column(String(200), index=True)
    created_at: Mapped[datetime]


class WordTimesRow(Base):
    """When each word of an episode's transcript is spoken: subtitle times aligned to it
    (reader.core.timing.WordTimes, encoded). ``words`` is the transcript's word count the
    times were made for: a transcript changed since holds other words, and its times are
    not used until they are made again."""

    __tablename__ = "word_times"

    episode_id: Mapped[str] = mapped_column(
        ForeignKey("episodes.id", ondelete="CASCADE"), primary_key=True)
    source_path: Mapped[str] = mapped_column(Text)
    words: Mapped[int]
    matched: Mapped[float] = mapped_column(Float)  # the share of the transcript's words the subtitles lined up with
    data: Mapped[bytes] = mapped_column(LargeBinary)
    created_at: Mapped[datetime]


class ChangeRow(Base):
    """One committed change of an episode, in commit order: the other clients of a team
    library read the rows after the last ``seq`` they saw (woken by NOTIFY, or polling) and
    update their window and their own search index from them. Written in the transaction of
    the change itself, so a change is never committed without its row."""

    __tablename__ = "changes"

    seq: Mapped[int] = mapped_column(BigInteger().with_variant(Integer(), "sqlite"),
                                     primary_key=True, autoincrement=True)
    episode_id: Mapped[str] = mapped_column(String(64))
    parts: Mapped[int] = mapped_column(Integer)  # reader.library.changes.Part flags
    client: Mapped[str] = mapped_column(String(36), default="", server_default="")
    author: Mapped[str] = mapped_column(Text, default="", server_default="")
    at: Mapped[datetime] = mapped_column(default=_utc_now)
