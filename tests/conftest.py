"""Shared test settings: reproducible dates for every test."""

from __future__ import annotations

import os

os.environ.setdefault("SOURCE_DATE_EPOCH", "1767225600")  # 2026-01-01T00:00:00Z
