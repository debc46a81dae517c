"""An episode's word times as the library knows them, and the moments its notes link to."""

from __future__ import annotations

import zlib
from dataclasses import replace

from sqlalchemy.orm import Session

from reader.core.episode import Highlight
from reader.core.highlights_md import moment_link
from reader.core.timing import WordTimes, estimate, stamp, video_link
from reader.store import word_times as word_time_rows
from reader.store.models import EpisodeRow


def times_of(session: Session, row: EpisodeRow) -> WordTimes:
    """From the episode's subtitles when it has them (for its transcript as it is now), else
    estimated: spread over its real length when the user gave it, else at a speaking rate."""
    transcript = row.transcript
    stored = word_time_rows.get(session, row.id)
    if stored is not None:
        try:
            return WordTimes.decode(transcript, stored.data, matched=stored.matched)
        except (ValueError, zlib.error):
            pass  # made for the transcript before it changed, or damaged: estimated
    return estimate(transcript, row.duration)


def with_moments(highlights: list[Highlight], times: WordTimes, video_id: str | None) -> list[Highlight]:
    """The highlights, each with the link to the moment it is spoken (none without a video)."""
    if not video_id:
        return highlights
    out = []
    for h in highlights:
        if h.orphan or h.start < 0:
            out.append(h)
            continue
        seconds = times.seconds_at(h.start)
        out.append(replace(h, moment=moment_link(stamp(seconds), video_link(video_id, seconds),
                                                 approximate=times.approximate)))
    return out
