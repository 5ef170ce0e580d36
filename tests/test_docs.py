"""Docs and data are complete: every public API name is documented, every parameter is sourced."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

import assistant.api as api

pytestmark = pytest.mark.unit

ROOT = Path(__file__).resolve().parent.parent
README = (ROOT / "README.md").read_text(encoding="utf-8")


@pytest.mark.parametrize("name", sorted(api.__all__))
def test_every_public_api_name_appears_in_the_readme(name):
    assert name in README


def test_the_readme_quickstart_shows_the_two_commands_and_ci_runs_the_test_one():
    assert "make run" in README and "make test" in README
    assert "make test" in (ROOT / ".ci" / "run").read_text(encoding="utf-8")


def test_the_readme_carries_measured_tables_not_placeholders():
    for placeholder in ("EVAL_TABLE", "HOLDOUT_TABLE", "BENCH_TABLE", "TODO", "TBD"):
        assert placeholder not in README


@pytest.mark.parametrize("path", sorted((ROOT / "prompts").glob("*.yaml")), ids=lambda p: p.name)
def test_every_prompt_file_is_valid_yaml_with_a_name_and_version(path):
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    assert data["name"] == path.stem and isinstance(data["version"], int)


def test_torch_is_pinned_so_no_cuda_build_is_pulled():
    assert '"torch==2.13.0"' in (ROOT / "pyproject.toml").read_text(encoding="utf-8")
    assert "torch==2.13.0" in (ROOT / "Makefile").read_text(encoding="utf-8")
