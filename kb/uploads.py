"""Uploaded bytes as files on disk, because every loader and importer reads from a path.

Browsers send a file name and its bytes; the name may contain a path or control
characters, so it is sanitised by ``ingest.names`` (the same rule as for ingested files).
The staged files live in a temporary folder that is removed afterwards. Documents are not
staged at all: ``ingest.pipeline.ingest_bytes`` reads uploads from memory.
"""

from __future__ import annotations

import tempfile
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from ingest.names import source_name


@dataclass(frozen=True)
class Upload:
    """One uploaded file: the name the user's machine gave it and its content."""

    name: str
    data: bytes


def safe_name(name: str) -> str:
    """The sanitised last path component of a browser-supplied name (IngestError if empty)."""
    return source_name(name)


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
