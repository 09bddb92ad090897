"""File-system edges: atomic writes and the project lock."""

from __future__ import annotations

import contextlib
import errno
import fcntl
import glob
import os
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path

from bilingual_pub.errors import LockError

LOCK_NAME = ".bilingual-pub.lock"


def write_atomic(path: Path, data: bytes) -> None:
    """Write ``data`` so that ``path`` holds either the old or the new content, never a part."""
    write_via_temporary(path, lambda temporary: temporary.write_bytes(data))


def write_via_temporary(path: Path, produce: Callable[[Path], object]) -> None:
    """Let ``produce`` write a temporary file next to ``path``, then move it into place once
    it is complete and on disk: ``path`` holds either the old or the new content, never a
    part.  A new file gets mode 0644; a file replaced keeps its mode."""
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    os.close(handle)
    temporary = Path(name)
    try:
        produce(temporary)
        _fsync_file(temporary)
        os.chmod(temporary, path.stat().st_mode & 0o777 if path.exists() else 0o644)
        os.replace(temporary, path)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise
    _fsync_directory(path.parent)


def remove_temporaries(path: Path) -> list[Path]:
    """The temporary files of ``write_via_temporary`` left next to ``path`` by a killed process.

    Call it only under the project lock, when no other process can be writing them.
    """
    removed = []
    for candidate in path.parent.glob(f".{glob.escape(path.name)}.*.tmp"):
        with contextlib.suppress(FileNotFoundError):
            candidate.unlink()
            removed.append(candidate)
    return removed


def _fsync_file(path: Path) -> None:
    descriptor = os.open(path, os.O_RDONLY)
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)


def _fsync_directory(directory: Path) -> None:
    try:
        descriptor = os.open(directory, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(descriptor)
    except OSError:
        pass
    finally:
        os.close(descriptor)


def write_text_if_changed(path: Path, text: str) -> bool:
    """Write only when the content differs, so an unchanged file keeps its bytes and mtime."""
    data = text.encode("utf-8")
    try:
        if path.read_bytes() == data:
            return False
    except FileNotFoundError:
        pass
    write_atomic(path, data)
    return True


@contextlib.contextmanager
def project_lock(root: Path) -> Iterator[None]:
    """Hold an exclusive lock on the project; a second process is refused at once."""
    path = root / LOCK_NAME
    descriptor = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        try:
            fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError as error:
            if error.errno in (errno.EAGAIN, errno.EACCES, errno.EWOULDBLOCK):
                raise LockError(
                    "another bilingual-pub process is updating this project; "
                    "try again when it ends",
                    LOCK_NAME,
                ) from None
            raise
        yield
    finally:
        os.close(descriptor)
