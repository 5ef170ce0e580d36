"""The rules are pure: no module of ``assistant/rules`` reads text or imports the understanding layer."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

pytestmark = pytest.mark.unit

RULES_DIR = Path(__file__).resolve().parents[2] / "assistant" / "rules"
MODULES = sorted(RULES_DIR.rglob("*.py"))


def _imports(path: Path) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
            names.update(f"{node.module}.{alias.name}" for alias in node.names)
    return names


def test_the_rules_package_is_split_by_concern() -> None:
    assert {path.stem for path in (RULES_DIR / "procurement").glob("*.py")} >= {"facts", "grounds", "thresholds", "combine"}


def test_rules_do_not_render_decisions() -> None:
    """One renderer (assistant/present.py) presents every decision; the rules only decide."""
    from assistant.rules import TOOLS

    assert not any((RULES_DIR / name).exists() for name in ("_render.py", "procurement/rendering.py"))
    assert all(not hasattr(spec, "render") for spec in TOOLS.values())


@pytest.mark.parametrize("path", MODULES, ids=lambda path: str(path.relative_to(RULES_DIR)))
def test_a_rule_module_imports_neither_nlu_nor_regular_expressions(path: Path) -> None:
    imports = _imports(path)
    assert not {name for name in imports if name == "assistant.nlu" or name.startswith("assistant.nlu.")}
    assert "re" not in imports and "regex" not in imports
