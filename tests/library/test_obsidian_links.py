"""Related links written into the vault resolve in Obsidian: they name the target's note file
(the shortest end of its path when two notes share a name), with an alias Obsidian can read."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

from reader.library import Library
from tests.conftest import SEED_FILES

A, B, C = "LrrHD9cdz6Q", "t6CbcAlFD0o", "xDCa0xgymMY"


def _vault(tmp_path: Path) -> Path:
    """The samples as a user's vault keeps them: other file names, two notes named alike."""
    vault = tmp_path / "vault"
    names = {A: "Poki/DeepSeek paniek.md", B: "Poki/2025/Aflevering.md", C: "AI Report/Aflevering.md"}
    for seed in SEED_FILES:
        episode_id = re.search(r"\*\*Video ID:\*\* (\S+)", seed.read_text(encoding="utf-8"))
        name = names.get(episode_id.group(1) if episode_id else "", f"Overig/{seed.stem}.md")
        target = vault / name
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(seed, target)
    return vault


def test_links_name_the_note_files_and_come_back_to_the_same_episodes(tmp_path: Path) -> None:
    vault = _vault(tmp_path)
    with Library.open(tmp_path / "data", import_seeds=False) as library:
        library.import_paths([vault])
        library.add_related(A, B)
        library.add_related(A, C)
        library.write_back(A)
        text = (vault / "Poki/DeepSeek paniek.md").read_text(encoding="utf-8")
        related = text.split("## Related", 1)[1]
        links = re.findall(r"\[\[([^\]|]+)\|([^\]]+)\]\]", related)
        # Two notes are called "Aflevering": each link takes as much of the path as tells them apart.
        assert [target for target, _alias in links] == ["2025/Aflevering", "AI Report/Aflevering"]
        for _target, alias in links:
            assert "|" not in alias and "\n" not in alias and "]]" not in alias
        titles = {library.episode(B).title, library.episode(C).title}
        assert {alias for _t, alias in links} == {t.replace("|", "-") for t in titles}
    # Read back by a library that only has the vault: the links point at the same episodes.
    with Library.open(tmp_path / "data2", import_seeds=False) as fresh:
        fresh.import_paths([vault])
        assert [link.episode_id for link in fresh.episode(A).related] == [B, C]

