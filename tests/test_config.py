"""Settings: YAML in the config dir, safe_load only, broken files never overwritten."""

from __future__ import annotations

from pathlib import Path

from reader.config import Settings, default_settings_path, load_settings, save_settings


def test_missing_file_gives_defaults(tmp_path: Path) -> None:
    settings = load_settings(tmp_path / "settings.yaml")
    assert settings == Settings()
    assert not settings.warnings and not settings.read_only


def test_round_trip_keeps_unknown_keys(tmp_path: Path) -> None:
    path = tmp_path / "conf" / "settings.yaml"
    path.parent.mkdir()
    path.write_text("theme: dark\nfuture_option: 3\n", encoding="utf-8")
    settings = load_settings(path)
    assert settings.theme == "dark"
    settings.font_size = 16
    settings.library_folders = ["/home/me/Vault"]
    assert save_settings(settings)
    again = load_settings(path)
    assert (again.theme, again.font_size, again.library_folders) == ("dark", 16, ["/home/me/Vault"])
    assert "future_option: 3" in path.read_text(encoding="utf-8")


def test_broken_yaml_gives_defaults_warning_and_is_not_overwritten(tmp_path: Path) -> None:
    path = tmp_path / "settings.yaml"
    broken = "theme: [dark\nfont_size: 14\n"
    path.write_text(broken, encoding="utf-8")
    settings = load_settings(path)
    assert settings == Settings()
    assert settings.read_only and "not valid YAML" in settings.warnings[0]
    settings.font_size = 20
    assert not save_settings(settings)
    assert path.read_text(encoding="utf-8") == broken


def test_python_tags_are_refused(tmp_path: Path) -> None:
    path = tmp_path / "settings.yaml"
    path.write_text("theme: !!python/object/apply:os.system ['echo hi']\n", encoding="utf-8")
    settings = load_settings(path)
    assert settings.theme == "system" and settings.read_only


def test_wrong_values_fall_back_one_by_one(tmp_path: Path) -> None:
    path = tmp_path / "settings.yaml"
    path.write_text("theme: purple\nfont_size: 15\nparagraph_words: 5\n", encoding="utf-8")
    settings = load_settings(path)
    assert (settings.theme, settings.font_size, settings.paragraph_words) == ("system", 15, 135)
    assert len(settings.warnings) == 2 and settings.read_only


def test_not_a_mapping(tmp_path: Path) -> None:
    path = tmp_path / "settings.yaml"
    path.write_text("- a\n- b\n", encoding="utf-8")
    assert load_settings(path).read_only


def test_default_path_is_in_the_platform_config_dir() -> None:
    path = default_settings_path()
    assert path.name == "settings.yaml" and "transcript-reader" in str(path)


def test_a_team_library_url_is_saved_without_its_password(tmp_path: Path) -> None:
    path = tmp_path / "settings.yaml"
    settings = load_settings(path)
    settings.library_url = "postgresql+psycopg://anna:geheim%20wachtwoord@db.example.org:5433/podcasts"
    settings.display_name = "Anna de Vries"
    assert save_settings(settings)
    text = path.read_text(encoding="utf-8")
    assert "geheim" not in text and "wachtwoord" not in text
    again = load_settings(path)
    assert again.library_url == "postgresql+psycopg://anna@db.example.org:5433/podcasts"
    assert again.display_name == "Anna de Vries"
    assert not again.warnings


def test_a_library_url_that_is_not_postgresql_is_refused_with_one_line(tmp_path: Path) -> None:
    path = tmp_path / "settings.yaml"
    path.write_text("library_url: mysql://x@y/z\ntheme: dark\n", encoding="utf-8")
    settings = load_settings(path)
    assert settings.library_url == "" and settings.theme == "dark"
    [warning] = settings.warnings
    assert str(path) in warning and "library_url" in warning
