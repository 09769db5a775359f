"""What an ingest reads: files found in folders or uploaded bytes, under sanitised names.

The name decides the document (``ingest.prepare.doc_id_for``), so it is sanitised here
(``ingest.names``) and a batch refuses a second file with a name it already has.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from core.errors import IngestError
from ingest.loaders import Limits
from ingest.loaders.registry import too_large
from ingest.names import printable, source_name


def _hidden(part: str) -> bool:
    """Dot files and folders, and Office lock files (``~$Bericht.docx``)."""
    return part.startswith((".", "~$"))


def expand_paths(paths: Iterable[Path]) -> list[Path]:
    """Files as given, folders recursively (hidden files skipped), each file once.

    Files of unsupported types found in a folder are kept, so the report names them.
    """
    out: list[Path] = []
    seen: set[Path] = set()
    for path in paths:
        if path.is_dir():
            found = [
                p
                for p in sorted(path.rglob("*"))
                if p.is_file() and not any(_hidden(part) for part in p.relative_to(path).parts)
            ]
        else:
            found = [path]
        for file in found:
            key = file.resolve()
            if key not in seen:
                seen.add(key)
                out.append(file)
    return out


@dataclass(frozen=True)
class SourceFile:
    """One file to ingest: its stored name, where it came from, and its bytes or path.

    ``name`` is the sanitised name (the document id is derived from it); ``origin`` is
    what the user gave (a path or an upload name) and appears only in messages.
    ``name_error`` says why the name is unusable.
    """

    name: str
    origin: str
    path: Path | None = None
    data: bytes | None = None
    name_error: IngestError | None = None

    @classmethod
    def from_path(cls, path: Path) -> SourceFile:
        return cls._named(path.name, str(path), path=path)

    @classmethod
    def from_bytes(cls, name: str, data: bytes) -> SourceFile:
        return cls._named(name, name, data=data)

    @classmethod
    def _named(
        cls, raw: str, origin: str, path: Path | None = None, data: bytes | None = None
    ) -> SourceFile:
        shown = printable(origin, limit=None)
        try:
            return cls(source_name(raw), shown, path, data)
        except IngestError as exc:
            return cls(exc.file, shown, path, data, name_error=exc)

    def read(self, limits: Limits) -> bytes:
        """The bytes, refusing an oversized file before reading it; OSError passes through."""
        if self.data is not None:
            data = self.data
        else:
            assert self.path is not None
            size = self.path.stat().st_size
            if size > limits.max_bytes:
                raise too_large(self.name, size, limits)
            data = self.path.read_bytes()
        if len(data) > limits.max_bytes:
            raise too_large(self.name, len(data), limits)
        return data


def source_size(src: SourceFile) -> int:
    """Bytes of input, without reading a file (0 when it cannot be read: reported later)."""
    if src.data is not None:
        return len(src.data)
    try:
        return src.path.stat().st_size if src.path is not None else 0
    except OSError:
        return 0


def name_clashes(files: list[SourceFile]) -> dict[int, IngestError]:
    """Later files whose name an earlier file of the batch already has, with the reason.

    The file name is the document id, so the second file would silently replace the first.
    """
    first: dict[str, SourceFile] = {}
    clashes: dict[int, IngestError] = {}
    for src in files:
        if src.name_error is not None:
            continue
        other = first.setdefault(src.name, src)
        if other is not src:
            clashes[id(src)] = IngestError(
                src.name,
                f"{src.origin} hat den gleichen Namen wie {other.origin} in diesem Durchgang; "
                "der Dateiname bestimmt das Dokument. Bitte umbenennen und erneut einlesen.",
                en=f"{src.origin} has the same name as {other.origin} in this batch; "
                "the file name determines the document. Please rename it and ingest it again.",
            )
    return clashes
