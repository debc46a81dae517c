"""Placing a highlight in a transcript that may have changed since it was made."""

from __future__ import annotations

from dataclasses import replace

from reader.core.episode import CONTEXT_CHARS, Highlight, text_hash


def _context_score(transcript: str, start: int, end: int, h: Highlight) -> int:
    before = transcript[max(0, start - len(h.prefix)):start]
    after = transcript[end:end + len(h.suffix)]
    score = 0
    for a, b in zip(reversed(before), reversed(h.prefix)):
        if a != b:
            break
        score += 1
    for a, b in zip(after, h.suffix):
        if a != b:
            break
        score += 1
    return score


def anchor(h: Highlight, transcript: str) -> Highlight:
    """The highlight placed in ``transcript``, or marked orphan when its quote is gone.

    Offsets win when the quote is still there; otherwise every exact occurrence of the quote
    is scored by how much of the stored context surrounds it, then by nearness to the old
    position.
    """
    digest = text_hash(transcript)
    if 0 <= h.start < h.end <= len(transcript) and transcript[h.start:h.end] == h.quote:
        return _placed(h, transcript, h.start, digest)
    if not h.quote:
        return replace(h, orphan=True)
    best: tuple[int, int, int] | None = None
    at = transcript.find(h.quote)
    while at != -1:
        candidate = (_context_score(transcript, at, at + len(h.quote), h),
                     -abs(at - max(h.start, 0)), at)
        if best is None or candidate > best:
            best = candidate
        at = transcript.find(h.quote, at + 1)
    if best is None:
        return replace(h, orphan=True, transcript_hash=digest)
    return _placed(h, transcript, best[2], digest)


def _placed(h: Highlight, transcript: str, start: int, digest: str) -> Highlight:
    end = start + len(h.quote)
    return replace(
        h, start=start, end=end, orphan=False, transcript_hash=digest,
        prefix=transcript[max(0, start - CONTEXT_CHARS):start],
        suffix=transcript[end:end + CONTEXT_CHARS],
    )
