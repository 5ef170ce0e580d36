"""Settings: keyword arguments, then POLICY_ASSISTANT_* environment variables, then defaults; bad values named."""

from __future__ import annotations

from pathlib import Path

import pytest

from assistant.config import Settings
from assistant.errors import ConfigError


def test_environment_variables_set_the_folders_and_the_ranking(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("POLICY_ASSISTANT_CORPUS", str(tmp_path / "c"))
    monkeypatch.setenv("POLICY_ASSISTANT_INDEX", str(tmp_path / "i"))
    monkeypatch.setenv("POLICY_ASSISTANT_TOP_K", "7")
    monkeypatch.setenv("POLICY_ASSISTANT_RETRIEVAL", "bm25")
    settings = Settings.load()
    assert (settings.corpus_dir, settings.index_dir, settings.top_k, settings.retrieval) == (tmp_path / "c", tmp_path / "i", 7, "bm25")


def test_a_keyword_argument_wins_over_the_environment(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("POLICY_ASSISTANT_TOP_K", "7")
    assert Settings.load(top_k=3, corpus_dir=tmp_path).top_k == 3
    assert Settings.load(top_k=None).top_k == 7  # None means "not given"


@pytest.mark.parametrize(("name", "value"), [("POLICY_ASSISTANT_TOP_K", "0"), ("POLICY_ASSISTANT_TOP_K", "many"), ("POLICY_ASSISTANT_REFERENCE_WEIGHT", "2")])
def test_a_bad_value_is_refused_with_its_name(monkeypatch: pytest.MonkeyPatch, name: str, value: str) -> None:
    monkeypatch.setenv(name, value)
    with pytest.raises(ConfigError, match=name.removeprefix("POLICY_ASSISTANT_").lower()):
        Settings.load()


def test_other_assistant_variables_are_not_settings(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("POLICY_ASSISTANT_QUERY_FAST_PATH", "0")
    assert Settings.load().top_k >= 1

