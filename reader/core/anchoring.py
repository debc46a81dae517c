"""Placing highlights in a transcript that may have changed since they were made.

Evidence is tried cheapest first: the old offsets (carried through a word diff when the old
transcript is known) still hold the quote; exact occurrences of the quote, judged by the stored
context; an approximate match with bounded edits, looked for only where pieces of the quote
and its context still occur, judged by quote, context and distance from the old place.
What none of these places with confidence becomes an orphan: it keeps its quote, comment,
colour, offsets and context (they describe the text it was last placed in), so a later
transcript can still place it.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, replace

from reader.core.episode import CONTEXT_CHARS, Highlight, text_hash
from reader.core.worddiff import OffsetMap

MIN_FUZZY_LEN = 12      # shorter quotes must match exactly: a few edits would make them anything
MAX_ERROR_RATE = 0.25   # edits allowed per quote character in an approximate match
MAX_CARRIED_RATE = 0.5  # edits allowed inside a quote whose two ends the word diff carried over
MIN_CONTEXT = 0.5       # context similarity a place needs unless the quote alone decides
MIN_SIDE = 0.5          # for an approximate match, each side of the context on its own
EDGE = 12               # context characters that settle where an approximate match begins/ends
BOUNDARY_SLACK = 4      # extra quote edits a boundary may cost if the context fits it better
SLACK = 16              # extra text a side of the context may be matched against (insertions)
MARGIN = 0.1            # lead in evidence the best place needs over the runner-up ...
MIN_LEAD = 6            # ... or in edits (quote + context), else picking it would be a guess
QUOTE_WEIGHT = 0.6      # evidence = QUOTE_WEIGHT * quote similarity + rest * context similarity
PIECE = 8               # length of the probes that locate candidate places
PIECE_CAP = 40          # a probe found more often than this says nothing about place
EXACT_CAP = 5000        # occurrences of a quote worth looking at (a 60 KB text has ~2000 "de")
MAX_CANDIDATES = 4      # places verified per source (exact hits, probe clusters)
BUCKET = 32             # probe votes are pooled per this many characters



def anchor(h: Highlight, transcript: str) -> Highlight:
    """The highlight placed in ``transcript``, or marked orphan when it cannot be placed."""
    return reanchor([h], transcript)[0]


def reanchor(highlights: list[Highlight], transcript: str,
             old_transcript: str | None = None, moves: OffsetMap | None = None) -> list[Highlight]:
    """Every highlight placed in ``transcript`` (same order, none dropped).

    ``old_transcript``, the text the highlights were made on, lets a word diff carry their
    offsets across the edit, which is both cheaper and surer than searching; ``moves`` is that
    diff when the caller has made it already.
    """
    digest = text_hash(transcript)
    if moves is None and old_transcript is not None and old_transcript != transcript and highlights:
        moves = OffsetMap(old_transcript, transcript)
    return [_anchor_one(h, transcript, digest, moves.range(h.start, h.end)
                        if moves and old_transcript and _holds(old_transcript, h) else None)
            for h in highlights]


def _holds(text: str, h: Highlight) -> bool:
    # The diff only speaks for offsets that belong to the old transcript.
    return 0 <= h.start < h.end <= len(text) and text[h.start:h.end] == h.quote


def _anchor_one(h: Highlight, text: str, digest: str,
                mapped: tuple[int, int, bool] | None) -> Highlight:
    q, m = h.quote, len(h.quote)
    if not q:
        return replace(h, orphan=True)
    limit = int(m * MAX_ERROR_RATE) if m >= MIN_FUZZY_LEN else 0
    guess = mapped[0] if mapped else (h.start if h.start >= 0 else None)
    if mapped is not None and mapped[2]:
        # Both ends sit in words the diff carried over unchanged: the diff has already placed
        # it, whatever happened to the context, and words typed into the quote belong to it.
        # That is stronger evidence than a free search, hence the looser bound.
        start, end = mapped[0], mapped[1]
        if text[start:end] == q or _distance(q, text[start:end]) <= m * MAX_CARRIED_RATE:
            return _placed(h, text, start, end, digest)
    if guess is not None and text[guess:guess + m] == q and _same_context(text, guess, guess + m, h):
        return _placed(h, text, guess, guess + m, digest)
    hits = _occurrences(text, q)
    if not h.prefix and not h.suffix and h.start < 0:
        # A quote read from a note's Highlights section has neither place nor context; its
        # first occurrence is as good as any, and what earlier versions did.
        if hits:
            return _placed(h, text, hits[0], hits[0] + m, digest)
    else:
        exact = [at for at in hits if _same_context(text, at, at + m, h)]
        if len(exact) == 1:
            return _placed(h, text, exact[0], exact[0] + m, digest)
    best = _search(h, text, hits, guess, limit)
    if best is None:
        return replace(h, orphan=True)
    return _placed(h, text, best.start, best.end, digest)


def _placed(h: Highlight, text: str, start: int, end: int, digest: str) -> Highlight:
    # The quote follows the transcript: after a fuzzy match the highlight shows what the
    # text now says, and the next re-anchoring compares against that.
    return replace(
        h, start=start, end=end, quote=text[start:end], orphan=False, transcript_hash=digest,
        prefix=text[max(0, start - CONTEXT_CHARS):start],
        suffix=text[end:end + CONTEXT_CHARS],
    )


def _same_context(text: str, start: int, end: int, h: Highlight) -> bool:
    lp = len(h.prefix)
    return (start >= lp and text[start - lp:start] == h.prefix
            and text[end:end + len(h.suffix)] == h.suffix)


def _occurrences(text: str, quote: str, cap: int = EXACT_CAP) -> list[int]:
    hits: list[int] = []
    at = text.find(quote)
    while at != -1 and len(hits) < cap:
        hits.append(at)
        at = text.find(quote, at + 1)
    return hits


# --- search ---------------------------------------------------------------------------


@dataclass(frozen=True)
class _Place:
    start: int
    end: int
    edits: int
    cost: int  # edits in quote and context together
    evidence: float
    context: float | None
    side: float
    nearness: int


def _search(h: Highlight, text: str, hits: list[int], guess: int | None,
            limit: int) -> _Place | None:
    """The one place the evidence points to, or None when nothing (or no one thing) fits."""
    m = len(h.quote)
    spans: dict[tuple[int, int], int] = {(at, at + m): 0 for at in _best_hits(text, hits, h)}
    regions = _voted_regions(h, text, guess)
    if guess is not None:
        regions.insert(0, guess)
    pad = 2 * BUCKET + PIECE + limit  # votes were pooled over neighbouring buckets
    for around in regions:
        found = _closest_match(h, text, max(0, around - pad),
                               min(len(text), around + m + pad), around, limit)
        if found is not None:
            spans.setdefault((found[0], found[1]), found[2])
    # Overlapping spans are one place seen with different bounds: keep the bounds that explain
    # quote and context with the fewest edits (a word inserted just after the quote belongs
    # to the context, not to the quote), then rank the distinct places by evidence.
    places: list[_Place] = []
    for p in sorted((_judge(h, text, s, e, d, guess) for (s, e), d in spans.items()),
                    key=lambda p: (p.cost, p.edits, p.nearness)):
        if all(p.end <= q.start or p.start >= q.end for q in places):
            places.append(p)
    if not places:
        return None
    places.sort(key=lambda p: (-p.evidence, p.nearness))
    best = places[0]
    if any(p.evidence >= best.evidence - MARGIN and p.cost < best.cost + MIN_LEAD
           for p in places[1:]):
        return None  # context does not decide between them: orphan rather than guess
    if best.context is None:
        return best
    if best.context >= MIN_CONTEXT and (best.edits == 0 or best.side >= MIN_SIDE):
        return best
    # Poor context: only a long quote found verbatim exactly once speaks for itself
    # (a paragraph moved so that both its neighbours changed).
    if best.edits == 0 and m >= MIN_FUZZY_LEN and len(hits) == 1:
        return best
    return None


def _best_hits(text: str, hits: list[int], h: Highlight) -> list[int]:
    if len(hits) <= MAX_CANDIDATES:
        return hits
    m, lp, ls = len(h.quote), len(h.prefix), len(h.suffix)
    # Rank by how many context characters agree right next to the quote; cheap, C-speed.
    return sorted(hits, key=lambda at: -(
        _common_head(text[max(0, at - lp):at][::-1], h.prefix[::-1])
        + _common_head(text[at + m:at + m + ls], h.suffix)))[:MAX_CANDIDATES]


def _common_head(a: str, b: str) -> int:
    lo, hi = 0, min(len(a), len(b))
    while lo < hi:  # binary search: a few slice compares instead of a loop per character
        mid = (lo + hi + 1) // 2
        if a[:mid] == b[:mid]:
            lo = mid
        else:
            hi = mid - 1
    return lo


def _voted_regions(h: Highlight, text: str, guess: int | None) -> list[int]:
    """Likely quote starts: where pieces of context + quote still occur, pooled by place.

    An edit breaks only the pieces it touches, so the old place keeps most of its votes while
    chance hits of single pieces scatter.
    """
    probe = h.prefix + h.quote + h.suffix
    base = len(h.prefix)
    votes: Counter[int] = Counter()
    for o in range(0, len(probe) - PIECE + 1, PIECE):
        found = _occurrences(text, probe[o:o + PIECE], PIECE_CAP + 1)
        if len(found) <= PIECE_CAP:
            for at in found:
                votes[(at - o + base) // BUCKET] += 1
    pooled = {b: votes[b - 1] + votes[b] + votes[b + 1] for b in votes}
    near = guess if guess is not None else 0
    order = sorted(pooled, key=lambda b: (-pooled[b], abs(b * BUCKET - near)))
    chosen: list[int] = []
    for b in order:
        if pooled[b] < 2 and chosen:
            break
        if all(abs(b - c) > 2 for c in chosen):
            chosen.append(b)
            if len(chosen) == MAX_CANDIDATES:
                break
    return [b * BUCKET for b in chosen]


def _closest_match(h: Highlight, text: str, lo: int, hi: int, want: int,
                   limit: int) -> tuple[int, int, int] | None:
    """The substring of ``text[lo:hi]`` nearest the quote in edits (at most ``limit``)."""
    quote, m = h.quote, len(h.quote)
    if hi - lo < m - limit:
        return None
    window = text[lo:hi]
    if limit == 0:
        hits = _occurrences(window, quote)
        if not hits:
            return None
        at = min(hits, key=lambda x: abs(lo + x - want))
        return lo + at, lo + at + m, 0
    ends = _scan(quote, window, anchored=False)
    fewest = min(ends)
    if fewest > limit:
        return None
    # Several ends (and starts) are often nearly as good, and the fewest edits alone would
    # happily swap a deleted first word for its neighbour; the stored context next to each
    # candidate boundary settles it, then nearness to where the quote was expected.
    tail, head, target = h.suffix[:EDGE], h.prefix[-EDGE:], want - lo + m
    bound = min(limit, fewest + BOUNDARY_SLACK)
    end = lo + 1 + min((j for j, d in enumerate(ends) if d <= bound),
                       key=lambda j: (ends[j] + _suffix_edits(tail, text, lo + j + 1),
                                      abs(j + 1 - target)))
    starts = _scan(quote[::-1], text[lo:end][::-1], anchored=True)
    bound = min(limit, min(starts) + BOUNDARY_SLACK)
    length = 1 + min((i for i, d in enumerate(starts) if d <= bound),
                     key=lambda i: (starts[i] + _prefix_edits(head, text, end - i - 1),
                                    abs(i + 1 - m)))
    start = end - length
    snapped = _snap(h, text, start, end)
    edits = _distance(quote, text[snapped[0]:snapped[1]])
    if edits <= limit:
        return snapped[0], snapped[1], edits
    return start, end, starts[length - 1]


def _snap(h: Highlight, text: str, start: int, end: int) -> tuple[int, int]:
    """Widen to whole words where the original quote was made of whole words."""
    if not h.quote[0].isspace() and (not h.prefix or h.prefix[-1].isspace()):
        stop = max(0, start - EDGE)
        while start > stop and not text[start - 1].isspace():
            start -= 1
        while start < end and text[start].isspace():
            start += 1
    if not h.quote[-1].isspace() and (not h.suffix or h.suffix[0].isspace()):
        stop = min(len(text), end + EDGE)
        while end < stop and not text[end].isspace():
            end += 1
        while end > start and text[end - 1].isspace():
            end -= 1
    return start, end


def _judge(h: Highlight, text: str, start: int, end: int, edits: int,
           guess: int | None) -> _Place:
    quote_sim = 1.0 - edits / len(h.quote)
    nearness = abs(start - (guess or 0))
    sides = [(len(h.prefix), _prefix_edits(h.prefix, text, start))] if h.prefix else []
    if h.suffix:
        sides.append((len(h.suffix), _suffix_edits(h.suffix, text, end)))
    if not sides:
        return _Place(start, end, edits, edits, quote_sim, None, 1.0, nearness)
    total = sum(size for size, _ in sides)
    context = 1.0 - sum(wrong for _, wrong in sides) / total
    evidence = QUOTE_WEIGHT * quote_sim + (1.0 - QUOTE_WEIGHT) * context
    return _Place(start, end, edits, edits + sum(wrong for _, wrong in sides), evidence,
                  context, min(1.0 - wrong / size for size, wrong in sides), nearness)


def _prefix_edits(prefix: str, text: str, start: int) -> int:
    return _side_edits(prefix[::-1], text[max(0, start - len(prefix) - SLACK):start][::-1])


def _suffix_edits(suffix: str, text: str, end: int) -> int:
    return _side_edits(suffix, text[end:end + len(suffix) + SLACK])


def _side_edits(stored: str, seen: str) -> int:
    """Edits between stored context and the text next to the quote, the far end left free.

    Free, because a word inserted next to the quote pushes the far end of the old context
    out of view; a fixed window would count that twice.
    """
    if seen.startswith(stored):
        return 0
    if not seen:
        return len(stored)
    return min(len(stored), *_scan(stored, seen, anchored=True))


# --- edit distance (bit-parallel, after Myers 1999 / Hyyrö) ------------------------------


def _scan(pattern: str, text: str, anchored: bool) -> list[int]:
    """Edit distance of ``pattern`` to the best substring of ``text`` ending at each position.

    ``anchored`` fixes the substring's start at ``text[0]``, which turns the score at the last
    position into the plain Levenshtein distance. One Python int holds a whole DP column, so
    the cost is one loop step per text character, whatever the quote's length.
    """
    m = len(pattern)
    if m == 0:
        return [i + 1 if anchored else 0 for i in range(len(text))]
    peq: dict[str, int] = {}
    for i, ch in enumerate(pattern):
        peq[ch] = peq.get(ch, 0) | (1 << i)
    mask, high = (1 << m) - 1, 1 << (m - 1)
    pv, mv, score, carry = mask, 0, m, 1 if anchored else 0
    out: list[int] = []
    for ch in text:
        eq = peq.get(ch, 0)
        xv = eq | mv
        xh = (((eq & pv) + pv) ^ pv) | eq
        ph = mv | (~(xh | pv) & mask)
        mh = pv & xh
        if ph & high:
            score += 1
        elif mh & high:
            score -= 1
        ph = ((ph << 1) | carry) & mask
        mh = (mh << 1) & mask
        pv = mh | (~(xv | ph) & mask)
        mv = ph & xv
        out.append(score)
    return out


def _distance(a: str, b: str) -> int:
    if not b:
        return len(a)
    return _scan(a, b, anchored=True)[-1]
