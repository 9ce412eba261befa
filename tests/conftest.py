"""Shared fixtures and the hypothesis profiles (deterministic under CI)."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings

settings.register_profile(
    "ci",
    deadline=None,
    derandomize=True,
    max_examples=200,
    suppress_health_check=[HealthCheck.too_slow],
)
settings.register_profile("dev", deadline=None, max_examples=100)
settings.load_profile("ci" if os.environ.get("CI") else "dev")

# Validated rule sets are cached between runs; the tests keep theirs out of the home directory.
os.environ.setdefault("PERFSCORE_CACHE", tempfile.mkdtemp(prefix="perfscore-cache-"))

ROOT = Path(__file__).resolve().parents[1]
DATA = Path(__file__).resolve().parent / "data"
EXAMPLES = ROOT / "examples"


@pytest.fixture
def luohu_social_workers() -> Path:
    """Seed 003, form 1 (total 99.9)."""
    return EXAMPLES / "luohu-2024-social-workers.yaml"


@pytest.fixture
def luohu_notary() -> Path:
    """Seed 003, form 2 (total 93.69)."""
    return EXAMPLES / "luohu-2024-notary-lawyers.yaml"
