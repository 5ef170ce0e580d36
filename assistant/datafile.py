"""One way to read a YAML data file into its pydantic model, with errors that name the file."""

from __future__ import annotations

from pathlib import Path
from typing import TypeVar

import yaml
from pydantic import BaseModel, ValidationError

from assistant.errors import ConfigError

M = TypeVar("M", bound=BaseModel)
_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
"""libyaml's safe loader when PyYAML was built with it (about 6x faster at open), else the pure-Python one."""


def safe_load(text: str | bytes) -> object:
    """``yaml.safe_load`` through libyaml when available: the same safe subset of YAML, the same result."""
    return yaml.load(text, Loader=_LOADER)  # noqa: S506 - a SafeLoader (C or Python), never the full loader


def load_yaml_model(path: Path, model: type[M], *, what: str) -> M:
    """``path`` parsed and validated as ``model``.

    :param what: the file's name for the user, Chinese / English (e.g. ``"意图训练文件 / intent training file"``).
    :raises ConfigError: if the file is missing or malformed (names the file and the problem).
    """
    try:
        return model.model_validate(safe_load(path.read_text(encoding="utf-8")))
    except FileNotFoundError:
        raise ConfigError(f"{what}不存在 / not found: {path}") from None
    except (yaml.YAMLError, ValidationError) as exc:
        raise ConfigError(f"{what}格式错误 / invalid: {path}: {exc}") from None
