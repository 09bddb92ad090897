"""Shared test settings: reproducible dates for every test, and ``--update-goldens``.

The helpers every test shares (running the command, book.toml, book projects) are
functions in ``tests/harness.py``, so module-scoped fixtures can use them too.  Tests
marked ``slow`` (registered in pyproject.toml) are left out by ``pytest -m "not slow"``.
"""

from __future__ import annotations

import os

import pytest

os.environ.setdefault("SOURCE_DATE_EPOCH", "1767225600")  # 2026-01-01T00:00:00Z


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--update-goldens",
        action="store_true",
        default=False,
        help="rewrite the expected files of tests/golden and tests/fixtures/segments "
        "from the current output (review the diff before committing)",
    )


@pytest.fixture
def update_goldens(request: pytest.FixtureRequest) -> bool:
    return bool(request.config.getoption("--update-goldens"))
