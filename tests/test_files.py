"""File-system edges: atomic writes that keep unchanged files untouched, and the project lock."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from bilingual_pub.errors import LockError
from bilingual_pub.files import project_lock, write_atomic, write_text_if_changed


def test_atomic_write_leaves_no_temporary_file(tmp_path: Path) -> None:
    target = tmp_path / "sub" / "a.po"
    write_atomic(target, b"one")
    write_atomic(target, b"two")
    assert target.read_bytes() == b"two"
    assert sorted(p.name for p in target.parent.iterdir()) == ["a.po"]


def test_atomic_write_keeps_the_file_mode(tmp_path: Path) -> None:
    target = tmp_path / "a.po"
    target.write_bytes(b"one")
    os.chmod(target, 0o600)
    write_atomic(target, b"two")
    assert target.stat().st_mode & 0o777 == 0o600


def test_failed_write_keeps_the_old_content(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    target = tmp_path / "a.po"
    target.write_bytes(b"old")

    def broken_replace(source: str, destination: str) -> None:
        raise OSError("disk full")

    monkeypatch.setattr(os, "replace", broken_replace)
    with pytest.raises(OSError, match="disk full"):
        write_atomic(target, b"new")
    assert target.read_bytes() == b"old"
    assert [p.name for p in tmp_path.iterdir()] == ["a.po"]


def test_unchanged_text_is_not_rewritten(tmp_path: Path) -> None:
    target = tmp_path / "a.po"
    assert write_text_if_changed(target, "same\n")
    os.utime(target, ns=(1_000_000_000, 1_000_000_000))
    assert not write_text_if_changed(target, "same\n")
    assert target.stat().st_mtime_ns == 1_000_000_000
    assert write_text_if_changed(target, "different\n")


def test_a_second_holder_of_the_lock_is_refused(tmp_path: Path) -> None:
    with project_lock(tmp_path):
        with pytest.raises(LockError) as caught, project_lock(tmp_path):
            pass
        assert caught.value.path == ".bilingual-pub.lock"
    with project_lock(tmp_path):  # released
        pass
