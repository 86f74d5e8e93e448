"""Shared pytest configuration: make tests/ importable for the oracle helpers."""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import os  # noqa: E402

from hypothesis import settings  # noqa: E402

# CI runs every property on a fixed set of examples, so a run is repeatable;
# local runs keep exploring new ones.
settings.register_profile("ci", derandomize=True, deadline=None, print_blob=True)
if os.environ.get("CI"):
    settings.load_profile("ci")
