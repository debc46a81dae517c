"""The search scores every match a block of postings at a time (reader.search.evaluate): for
every kind of query it must give the documents and the scores Whoosh's own matchers give, over
several segments, deleted documents and annotation documents."""

from __future__ import annotations

import pytest
from conftest import Seed, build
from whoosh.collectors import TopCollector

from reader.search import AnnotationDoc, IndexDoc, SearchIndex
from reader.search.evaluate import evaluate
from reader.search.index import NO_GLOSSARY
from reader.search.phrases import adjacent_phrases
from reader.search.querying import parse, prefer_unions

QUERIES = ["model", "modellen", "taal", "open source", '"open source"', "kunstmatige intelligentie",
           "mod*", "robots OR humanoids", "model NOT taal", "NOT taal", "chatgpt", "openai",
           "modelen~", "mod?l*", "europ*", "title:model", "title:op*", "notes:robots",
           "comment:robots", "europa OR (chips AND data)",
           '"nederlandse podcast" OR wietse', "model -taal -data", "voorbeeld", "zzzgeenwoord"]


@pytest.fixture(scope="module")
def index(tmp_path_factory: pytest.TempPathFactory, seeds: list[Seed]) -> SearchIndex:
    pieces = []
    for seed in seeds:
        words = seed.transcript.split()
        pieces += [(f"{seed.episode_id}-{n}", seed.title, " ".join(words[at:at + 1500]))
                   for n, at in enumerate(range(0, len(words), 1500))]
    folder = tmp_path_factory.mktemp("evaluate")
    ix = build(folder / "index", [(IndexDoc(e, t, x), None) for e, t, x in pieces[:-5]],
               processes=1)
    for e, t, x in pieces[-5:] + pieces[:4]:  # more segments; four replaced (deletions)
        ix.add_or_update(IndexDoc(e, t, x + " nog een model"),
                         AnnotationDoc(e, t, notes="robots en modellen", takeaways=("open source",),
                                       comments=((1, "robots"),)))
    return ix


@pytest.mark.parametrize("text", QUERIES)
def test_scores_are_whooshs(index: SearchIndex, text: str) -> None:
    q = parse(index._parser, index._analyzer, text)
    with index._reading() as searcher:
        leaves = searcher.reader().leaf_readers()
        assert len(leaves) >= 3 and any(r.has_deletions() for r, _ in leaves)
        q = prefer_unions(adjacent_phrases(index._widened(q, searcher, NO_GLOSSARY)))
        ours = evaluate(q, searcher)
        collector = TopCollector(limit=100_000, usequality=False)  # never full: no pruning
        searcher.search_with_collector(q, collector)
        theirs = {hit.docnum: hit.score for hit in collector.results()}
    assert ours.keys() == theirs.keys()
    for docnum, score in theirs.items():
        assert ours[docnum] == pytest.approx(score, rel=1e-9)
    if text != "zzzgeenwoord":
        assert ours


def test_phrases_past_65536_words_are_whooshs(tmp_path, seeds: list[Seed]) -> None:
    """A transcript of over 65,536 words keeps its positions in four bytes: a block holding it
    beside short ones is decoded another way (``scoring.position_keys``); the phrase found
    past the 65,536th word, and everywhere else, is what Whoosh finds."""
    words = " ".join(seed.transcript for seed in seeds).split()
    long_text = " ".join((words * 2)[:70_000]) + " open source slotwoord open source"
    # 200 short ones too: a segment of over 128 documents, so a common word's postings fill
    # more than one block of the rebuild's writer.
    docs = [(IndexDoc(f"short-{n}", "kort", " ".join(words[n * 150:(n + 1) * 150])), None)
            for n in range(200)]
    docs.insert(7, (IndexDoc("long", "lang", long_text), None))
    ix = build(tmp_path / "index", docs, processes=1)
    ix.add_or_update(IndexDoc("short-3", "kort", "open source en nog eens open source"))
    for text in ['"open source"', '"open source slotwoord"', "model", "het"]:
        q = parse(ix._parser, ix._analyzer, text)
        with ix._reading() as searcher:
            leaves = searcher.reader().leaf_readers()
            assert any(r.has_deletions() for r, _ in leaves)
            assert max(r.doc_frequency("transcript", "het") for r, _ in leaves) > 128
            q = prefer_unions(adjacent_phrases(ix._widened(q, searcher, NO_GLOSSARY)))
            ours = evaluate(q, searcher)
            collector = TopCollector(limit=100_000, usequality=False)
            searcher.search_with_collector(q, collector)
            theirs = {hit.docnum: hit.score for hit in collector.results()}
            long_doc = searcher.document_number(episode_id="long")
        assert long_doc in ours
        assert ours.keys() == theirs.keys()
        for docnum, score in theirs.items():
            assert ours[docnum] == pytest.approx(score, rel=1e-9)
