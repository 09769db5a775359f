"""Uploaded bytes as files on disk, because every loader and importer reads from a path.

Browsers send a file name and its bytes; the name may contain a path, so only its last
part is kept. The staged files live in a temporary folder that is removed afterwards.
"""

from __future__ import annotations

import tempfile
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path, PurePosixPath, PureWindowsPath

from core.errors import IngestError


@dataclass(frozen=True)
class Upload:
    """One uploaded file: the name the user's machine gave it and its content."""

    name: str
    data: bytes


def safe_name(name: str) -> str:
    """The last path component of a browser-supplied name; refuses empty and dot names."""
    base = PureWindowsPath(PurePosixPath(name.replace("\x00", "")).name).name.strip()
    if base in ("", ".", ".."):
        raise IngestError(name or "(ohne Namen)", "Ungültiger Dateiname.")
    return base


@contextmanager
def staged(uploads: Sequence[Upload]) -> Iterator[list[Path]]:
    """Write uploads to a temporary folder (one subfolder each, names kept) and yield paths."""
    with tempfile.TemporaryDirectory(prefix="lotse-upload-") as tmp:
        paths = []
        for index, upload in enumerate(uploads):
            folder = Path(tmp) / str(index)
            folder.mkdir()
            path = folder / safe_name(upload.name)
            path.write_bytes(upload.data)
            paths.append(path)
        yield paths
