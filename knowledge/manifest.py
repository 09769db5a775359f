"""The shipped documents `lotse bootstrap` and the app load into the default workspace."""

from __future__ import annotations

from pathlib import Path

from core.errors import KnowledgeError
from knowledge.common import expected_list, read_yaml


def shipped_documents(knowledge_dir: Path) -> list[tuple[Path, str, str | None]]:
    """(path, category, vendor) for every document listed in data/manifest.yaml."""
    manifest = knowledge_dir / "manifest.yaml"
    data = read_yaml(manifest)
    if not isinstance(data, dict) or not isinstance(data.get("documents"), list):
        raise expected_list(manifest, "documents")
    out = []
    for entry in data["documents"]:
        path = knowledge_dir / str(entry["path"])
        if not path.exists():
            raise KnowledgeError(
                f"{manifest.name}: Datei {entry['path']} fehlt.",
                en=f"{manifest.name}: file {entry['path']} is missing.",
            )
        out.append((path, str(entry.get("category", "guidance")), entry.get("vendor")))
    return out
