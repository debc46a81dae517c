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
