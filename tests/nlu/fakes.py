"""Stand-ins shared by the reader tests."""

from __future__ import annotations

import hashlib

import numpy as np


def fake_embed(text: str) -> np.ndarray:
    """A deterministic stand-in for the encoder: a bag of hashed characters."""
    vector = np.zeros(64)
    for ch in text:
        vector[int(hashlib.md5(ch.encode()).hexdigest(), 16) % 64] += 1.0
    return vector / (np.linalg.norm(vector) or 1.0)
