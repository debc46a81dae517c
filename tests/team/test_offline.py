"""A team library whose server stops mid-session (a real server, stopped and started again):
the edits made meanwhile are kept on this computer, survive a restart of the client, and are
sent in order when the server is back, merged with what others wrote meanwhile."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from reader.library import Library, SavedOffline
from tests.conftest import SEEDS
from tests.pg_server import Server

BASE = "Eerste alinea.\n\nTweede alinea.\n\nDerde alinea.\n"


def test_edits_made_while_the_server_is_down_are_sent_when_it_is_back(
        pg_server: Server, pg_url: str, tmp_path: Path) -> None:
    anna = Library.open(tmp_path / "anna", library_url=pg_url, author="Anna")
    anna.import_paths([SEEDS])
    episode_id = anna.list_episodes()[0].id
    word = list(re.finditer(r"\w+", anna.episode(episode_id).transcript))[300]
    anna.set_notes(episode_id, BASE, base="")
    pg_server.stop()
    try:
        with pytest.raises(SavedOffline) as said:
            anna.set_notes(episode_id, BASE.replace("Eerste", "Offline eerste"), base=BASE)
        assert "kept on this computer" in str(said.value)
        with pytest.raises(SavedOffline):  # typed on: one entry, the newest text on the old base
            anna.set_notes(episode_id, BASE.replace("Eerste", "Offline, later, eerste"), base=BASE)
        with pytest.raises(SavedOffline):
            anna.add_highlight(episode_id, word.start(), word.end(), comment="offline gemarkeerd")
        with pytest.raises(SavedOffline):
            anna.save_takeaways(episode_id, {}, [(-1, "offline punt")])
        assert anna.offline_edits == 3
    finally:
        pg_server.start()
    anna.close()  # the queue is on disk: a client started again still has it

    bram = Library.open(tmp_path / "bram", library_url=pg_url, author="Bram")
    bram.set_notes(episode_id, BASE.replace("Derde", "Bram's derde"), base=BASE)
    again = Library.open(tmp_path / "anna", library_url=pg_url, author="Anna")
    assert again.offline_edits == 3
    assert again.send_offline_edits() == 3
    assert again.offline_edits == 0 and again.offline_conflicts() == []
    view = bram.episode(episode_id)
    assert view.notes == "Offline, later, eerste alinea.\n\nTweede alinea.\n\nBram's derde alinea.\n"
    assert [(h.comment, h.author) for h in view.highlights] == [("offline gemarkeerd", "Anna")]
    assert [t.text for t in view.takeaway_items] == ["offline punt"]
    again.close()
    bram.close()


def test_a_write_while_edits_wait_goes_after_them(pg_server: Server, pg_url: str,
                                                 tmp_path: Path) -> None:
    """Edits wait in the queue; the server is back; the next save sends them first."""
    anna = Library.open(tmp_path / "anna", library_url=pg_url, author="Anna")
    anna.import_paths([SEEDS])
    episode_id = anna.list_episodes()[0].id
    pg_server.stop()
    try:
        with pytest.raises(SavedOffline):
            anna.add_takeaway(episode_id, "eerst")
    finally:
        pg_server.start()
    anna.add_takeaway(episode_id, "daarna")
    assert [t.text for t in anna.episode(episode_id).takeaway_items] == ["eerst", "daarna"]
    assert anna.offline_edits == 0
    anna.close()
