"""A phrase matched from the words' positions finds what Whoosh's own phrase matching finds:
the same documents, the same number of matches in each, over phrases of the real transcripts
(two to four words, and phrases that are not in them), on a real index of the seeds."""

from __future__ import annotations

import random

from whoosh import query

from reader.search import SearchIndex
from reader.search.analysis import DutchAnalyzer
from reader.search.phrases import AdjacentPhrase, adjacent_phrases
from tests.search.conftest import Seed


def _matches(searcher, q: query.Query) -> dict[int, int]:  # type: ignore[no-untyped-def]
    """Document → number of phrase matches in it, as the matcher reports them."""
    found: dict[int, int] = {}
    m = q.matcher(searcher)
    while m.is_active():
        found[m.id()] = len(m.spans())
        m.next()
    return found


def test_positions_find_what_spans_find(seed_index: SearchIndex, seeds: list[Seed]) -> None:
    analyzer = DutchAnalyzer()
    rng = random.Random(15)
    words = [analyzer.terms(s.transcript) for s in seeds]
    phrases = []
    for _ in range(300):
        stems = rng.choice(words)
        at = rng.randrange(len(stems) - 4)
        phrases.append(stems[at:at + rng.randint(2, 4)])
    # Words that each occur, but not together in this order.
    phrases += [list(reversed(p)) for p in phrases[:60]] + [[p[0], p[0]] for p in phrases[:20]]
    with seed_index._reading() as searcher:  # the index's own searcher, as search uses it
        compared = 0
        for phrase in phrases:
            theirs = _matches(searcher, query.Phrase("transcript", phrase))
            ours = _matches(searcher, AdjacentPhrase("transcript", phrase))
            assert ours == theirs, phrase
            compared += bool(theirs)
    assert compared > 250  # most phrases were found: the comparison had matches to compare


def test_queries_get_the_position_phrases_and_keep_their_shape() -> None:
    q = query.And([query.Term("title", "a"), query.Or([query.Phrase("transcript", ["open", "sourc"]),
                                                       query.Phrase("notes", ["x", "y"], slop=3)])])
    changed = adjacent_phrases(q)
    phrases = [leaf for leaf in changed.leaves() if isinstance(leaf, query.Phrase)]
    assert [type(p) for p in phrases] == [AdjacentPhrase, AdjacentPhrase]
    assert [(p.fieldname, p.words, p.slop) for p in phrases] == [("transcript", ["open", "sourc"], 1),
                                                                ("notes", ["x", "y"], 3)]


def test_searching_a_phrase_finds_the_episodes_it_is_in(seed_index: SearchIndex, seeds: list[Seed]) -> None:
    texts = {s.episode_id: s.transcript for s in seeds}
    results = seed_index.search('"open source"', 20, transcript_of=texts.__getitem__)
    assert {r.episode_id for r in results.results} == {i for i, t in texts.items() if "open source" in t.lower()}
