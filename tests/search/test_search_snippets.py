"""Snippets, hit ranges and annotation matches."""

from __future__ import annotations

import re
from pathlib import Path

from conftest import Seed, build

from reader.search import AnnotationDoc, IndexDoc, SearchIndex
from reader.search.analysis import DutchAnalyzer


def test_snippet_for_a_hit_past_32_kb(seed_index: SearchIndex, seeds: list[Seed],
                                      texts: dict[str, str]) -> None:
    seed = seeds[0]
    first = re.search(r"\bmodel\b", seed.transcript)
    assert first is not None and first.start() > 2**15  # the trap the notes describe
    result = seed_index.search("model", transcript_of=texts.__getitem__)
    ours = next(r for r in result.results if r.episode_id == seed.episode_id)
    snippet = ours.snippets[0]
    assert snippet.field == "transcript" and snippet.ranges
    assert seed.transcript[snippet.offset:snippet.offset + len(snippet.text)] == snippet.text
    assert ours.best_offset >= 2**15
    for s, e in snippet.ranges:
        assert DutchAnalyzer().stem(snippet.text[s:e]) == "model"
    assert 15 <= len(snippet.text.split()) <= 45


def test_hits_are_the_matched_words(seed_index: SearchIndex, seeds: list[Seed]) -> None:
    seed = seeds[0]
    ranges = seed_index.hits("modellen OR taal*", seed.episode_id, seed.transcript)
    analyzer = DutchAnalyzer()
    words = [seed.transcript[s:e] for s, e in ranges]
    assert ranges == sorted(ranges) and words
    assert all(analyzer.stem(w) == "model" or analyzer.stem(w).startswith("taal") for w in words)
    expected = [m.span() for m in re.finditer(r"[^\W_]+", seed.transcript)
                if analyzer.stem(m.group()) == "model" or analyzer.stem(m.group()).startswith("taal")]
    assert ranges == expected


def test_hits_for_a_phrase_mark_only_the_phrase(seed_index: SearchIndex,
                                                seeds: list[Seed]) -> None:
    seed = seeds[0]
    ranges = seed_index.hits('"open source"', seed.episode_id, seed.transcript)
    assert ranges == seed_index.find_ranges("open source", seed.transcript)


def test_hits_of_negated_terms_are_not_marked(seed_index: SearchIndex,
                                              seeds: list[Seed]) -> None:
    seed = seeds[0]
    with_not = seed_index.hits("model NOT taal", seed.episode_id, seed.transcript)
    assert with_not == seed_index.hits("model", seed.episode_id, seed.transcript)


def test_title_only_match_falls_back_to_the_title(seed_index: SearchIndex, seeds: list[Seed],
                                                  texts: dict[str, str]) -> None:
    result = seed_index.search("title:polder", transcript_of=texts.__getitem__)
    (hit,) = result.results
    (snippet,) = hit.snippets
    assert snippet.field == "title" and hit.best_offset == -1
    assert [snippet.text[s:e] for s, e in snippet.ranges] == ["polder"]


def test_annotation_matches_show_annotation_snippets(tmp_path: Path, seeds: list[Seed]) -> None:
    seed = seeds[2]
    texts = {seed.episode_id: seed.transcript}
    notes = AnnotationDoc(seed.episode_id, seed.title, notes="Over zeilboten en het weer.",
                          takeaways=("Zeilboten zijn traag",),
                          comments=((41, "Mooi stuk over zeilboten"), (42, "iets anders")))
    index = build(tmp_path / "ix", [(IndexDoc(seed.episode_id, seed.title, seed.transcript),
                                     notes)])
    result = index.search("zeilboot", transcript_of=texts.__getitem__)
    (hit,) = result.results
    assert result.total == 1 and hit.best_offset == -1
    by_field = {s.field: s for s in hit.snippets}
    assert set(by_field) == {"notes", "takeaways", "comment"}
    assert by_field["comment"].highlight_id == 41
    assert [by_field["notes"].text[s:e] for s, e in by_field["notes"].ranges] == ["zeilboten"]
    assert index.search("comment:zeilboten", transcript_of=texts.__getitem__).total == 1
    assert index.search("notes:weer", transcript_of=texts.__getitem__).total == 1


def test_transcript_and_annotation_match_count_one_episode(tmp_path: Path,
                                                           seeds: list[Seed]) -> None:
    seed = seeds[0]
    texts = {seed.episode_id: seed.transcript}
    index = build(tmp_path / "ix", [(IndexDoc(seed.episode_id, seed.title, seed.transcript),
                                     AnnotationDoc(seed.episode_id, seed.title,
                                                   notes="veel over modellen"))])
    result = index.search("modellen", transcript_of=texts.__getitem__)
    assert result.total == 1 and len(result.results) == 1
    assert {s.field for s in result.results[0].snippets} == {"transcript", "notes"}
    assert result.results[0].best_offset >= 0


def test_more_like_this(seed_index: SearchIndex, seeds: list[Seed]) -> None:
    similar = seed_index.more_like_this(seeds[0].episode_id, n=3)
    assert len(similar) == 3
    assert seeds[0].episode_id not in {e for e, _, _ in similar}
    assert [s for _, _, s in similar] == sorted((s for _, _, s in similar), reverse=True)
    assert seed_index.more_like_this("no-such-episode") == []


def test_more_like_this_scores_as_whooshs_own_or(tmp_path: Path, seeds: list[Seed]) -> None:
    """``bulk_or`` (more like this) gives every document the score Whoosh's OR of the same
    boosted terms gives it, over several segments, one with deleted documents."""
    from whoosh import query

    from reader.search.index import WEIGHTING
    from reader.search.scoring import bulk_or

    pieces = []
    for seed in seeds:
        words = seed.transcript.split()
        pieces += [(f"{seed.episode_id}-{n}", " ".join(words[at:at + 1500]))
                   for n, at in enumerate(range(0, len(words), 1500))]
    index = build(tmp_path / "index", [(IndexDoc(e, e, t), None) for e, t in pieces[:-4]],
                  processes=1)
    for e, t in pieces[-4:] + pieces[:3]:  # new segments; the first three replaced: deletions
        index.add_or_update(IndexDoc(e, e, t + " nog een keer"))
    analyzer = DutchAnalyzer()
    terms = [(analyzer.stem(w), boost) for w, boost in
             [("model", 1.0), ("taal", 0.7), ("europa", 0.5), ("data", 0.31), ("chips", 0.2)]]
    with index._reading() as searcher:
        assert len(searcher.reader().leaf_readers()) >= 3
        assert any(r.has_deletions() for r, _ in searcher.reader().leaf_readers())
        ours = bulk_or(searcher, "transcript", terms, WEIGHTING)
        q = query.Or([query.Term("transcript", t, boost=b) for t, b in terms])
        theirs = {h.docnum: h.score for h in searcher.search(q, limit=None)}
    assert ours.keys() == theirs.keys() and len(ours) > 30
    for docnum, score in theirs.items():
        assert abs(ours[docnum] - score) < 1e-6 * score
    index.close()


def test_transcripts_read_in_one_call_give_the_same_results(seed_index: SearchIndex,
                                                            texts: dict[str, str]) -> None:
    """A library on a server reads the shown episodes' transcripts in one query; the snippets
    and hits are the same as read one by one, and only the shown episodes are asked for."""
    asked: list[list[str]] = []

    def in_one_call(ids: list[str]) -> dict[str, str]:
        asked.append(list(ids))
        return {i: texts[i] for i in ids}

    for query in ["model", '"open source"', "robots OR humanoids", "mod*"]:
        asked.clear()
        one_by_one = seed_index.search(query, 3, transcript_of=texts.__getitem__)
        batched = seed_index.search(query, 3, transcript_of=texts.__getitem__,
                                    transcripts_of=in_one_call)
        assert batched == one_by_one
        assert asked == [[r.episode_id for r in batched.results]]
