"""JSON and YAML flattened into readable records.

A *record* is a mapping with an ``id`` and a human title (``title`` or ``name``), e.g. an
OSCAL control or a MITRE ATLAS technique, or an item of a list with a human title and no
id (a vendor in a list of vendors, a rule in a policy). Each record becomes one section
"ID Title" with its fields as text ("key: value"; a list of short values on one line;
true/false kept: "trains_on_customer_data: true" is a fact); nested records become their
own sections. The plain fields around the records (a policy's name and version) become a
section of their own.
Keys that are only plumbing (uuids, hrefs) are skipped. A ``{name, value}`` pair (an OSCAL
property) becomes one line "name: value", and a nested part's machine id and name are left
out next to its prose: left in, they fill a control's chunk with lines like
"name: statement" / "id: X_stm" that dilute its embedding and its keyword statistics.
"""

from __future__ import annotations

import datetime
import json
import re
from pathlib import Path
from typing import Any

import yaml

from core.domain import LoadedDocument, Section
from core.errors import IngestError
from ingest.cleaning import clean_text
from ingest.loaders.text_loader import decode_text
from ingest.markup import strip_markup

_SKIP_KEYS = {"uuid", "href", "rel", "media-type", "ns", "class", "object-type", "$schema"}
_TITLE_KEYS = ("title", "name", "titel", "bezeichnung")
_SHORT = 60  # a value up to this long is a field ("key: value"); longer is prose
_PROSE_KEYS = {"prose", "description", "beschreibung", "text", "inhalt", "summary"}
MAX_TEXT = 20_000_000  # guards against alias bombs that expand when flattened
MAX_NODES = 2_000_000  # ... and against bombs of empty lists, which expand to no text
MAX_DEPTH = 60
_UUID = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$", re.I)
_MACHINE_NAME = re.compile(r"^[a-z][a-z0-9_\-]*$")
_BARE_URL = re.compile(r"^https?://\S+$")


def _readable(text: str) -> str:
    """A value as text: Markdown links keep their words, markup readers never see goes."""
    return strip_markup(text, links=False).strip()


def _is_scalar(value: Any) -> bool:
    """A plain value; YAML reads "2026-01-01" as a date, which is one too."""
    return isinstance(value, str | int | float | bool | datetime.date)


def _short_values(value: Any) -> bool:
    """A list of a few short plain values: "certifications: ISO 27001, SOC 2"."""
    return (
        isinstance(value, list)
        and 0 < len(value) <= 20
        and all(
            _is_scalar(v) and not isinstance(v, bool) and 0 < len(str(v).strip()) <= _SHORT
            for v in value
        )
    )


def _pair_line(node: dict[str, Any]) -> str:
    """``{"name": "sec_level", "value": "normal"}`` -> "sec_level: normal" ("": drop it)."""
    value = str(node["value"]).strip()
    if not value or _UUID.match(value):
        return ""
    return f"{node['name']}: {value}"


def _is_pair(node: dict[str, Any]) -> bool:
    return (
        isinstance(node.get("name"), str)
        and isinstance(node.get("value"), str | int | float)
        and not set(node) - {"name", "value", "remarks", *_SKIP_KEYS}
    )


class _Flattener:
    def __init__(self, name: str) -> None:
        self.name = name
        self.sections: list[Section] = []
        self.loose: list[Section] = []  # plain fields outside any record
        self.size = 0
        self.nodes = 0

    def _grow(self, text: str) -> None:
        self.size += len(text)
        if self.size > MAX_TEXT:
            raise IngestError(
                self.name,
                "Strukturierte Datei expandiert zu stark (Alias-Bombe?).",
                en="Structured file expands too much (alias bomb?).",
            )

    @staticmethod
    def record_title(node: dict[str, Any], listed: bool = False) -> str | None:
        """ "ID Title" of a record; a list item needs no id (its title alone)."""
        if "id" not in node and not listed:
            return None
        for key in _TITLE_KEYS:
            value = node.get(key)
            if isinstance(value, str) and (" " in value.strip() or value[:1].isupper()):
                name = value.strip()
                if "id" not in node:
                    return name if len(name) <= 160 else None
                ident = str(node["id"])
                return name if name.startswith(ident) else f"{ident} {name}"
        return None

    def _visit(self, depth: int) -> None:
        """Count a node: YAML anchors let a small file reference the same list 10^9 times."""
        self.nodes += 1
        if self.nodes > MAX_NODES:
            raise IngestError(
                self.name,
                "Strukturierte Datei expandiert zu stark (Alias-Bombe?).",
                en="Structured file expands too much (alias bomb?).",
            )
        if depth > MAX_DEPTH:
            raise IngestError(
                self.name,
                "Strukturierte Datei zu tief verschachtelt.",
                en="Structured file nested too deeply.",
            )

    def walk(self, node: Any, path: list[str], depth: int = 0, listed: bool = False) -> None:
        self._visit(depth)
        if isinstance(node, dict):
            title = self.record_title(node, listed)
            if title is not None:
                lines: list[str] = []
                self.prose(node, lines, [*path, title], depth, top=True)
                text = clean_text("\n".join([title, *lines]))
                self._grow(text)
                self.sections.append(Section(text=text, section=" › ".join([*path, title])))
                return
            fields: list[str] = []
            for key, value in node.items():
                if key in _SKIP_KEYS:
                    continue
                if _is_scalar(value):
                    if key not in _TITLE_KEYS:  # the title is the document's (metadata)
                        self.field(key, value, fields)
                else:
                    self.walk(value, path, depth + 1)
            if fields and depth <= 1:  # the file's own fields, not metadata deep inside
                self.loose.append(Section(text=clean_text("\n".join(fields)), section=""))
        elif isinstance(node, list):
            for item in node:
                self.walk(item, path, depth + 1, listed=True)

    def field(self, key: str, value: Any, lines: list[str]) -> None:
        """One scalar field as a line: short ones as "key: value", long ones as prose."""
        text = str(value).lower() if isinstance(value, bool) else _readable(str(value))
        if text and not _BARE_URL.match(text) and not _UUID.match(text):
            self._grow(text)
            long = len(text) > _SHORT or key.lower() in _PROSE_KEYS
            lines.append(text if long else f"{key}: {text}")

    def prose(
        self, node: Any, lines: list[str], path: list[str], depth: int, top: bool = False
    ) -> None:
        """Collect readable text of a record; nested records are emitted separately."""
        self._visit(depth)
        if isinstance(node, dict):
            if not top and self.record_title(node) is not None:
                self.walk(node, path, depth + 1)
                return
            if not top and _is_pair(node):
                line = _pair_line(node)
                if line:
                    self._grow(line)
                    lines.append(line)
                if isinstance(node.get("remarks"), str):
                    self.prose(node["remarks"], lines, path, depth + 1)
                return
            part = not top and "prose" in node
            for key, value in node.items():
                if key in _SKIP_KEYS or (top and key in ("id", *_TITLE_KEYS)):
                    continue
                if part and (key == "id" or (key == "name" and _MACHINE_NAME.match(str(value)))):
                    continue
                if (
                    part
                    and isinstance(value, list)
                    and all(isinstance(v, dict) and _is_pair(v) for v in value)
                ):
                    continue  # properties annotating the prose repeat it in pieces
                if _is_scalar(value):
                    self.field(key, value, lines)
                elif _short_values(value):
                    line = f"{key}: {', '.join(str(v).strip() for v in value)}"
                    self._grow(line)
                    lines.append(line)
                else:
                    self.prose(value, lines, path, depth + 1)
        elif isinstance(node, list):
            for item in node:
                self.prose(item, lines, path, depth + 1)
        elif isinstance(node, str) and (text := _readable(node)):
            self._grow(text)
            lines.append(text)


def flatten(name: str, data: Any) -> list[Section]:
    flat = _Flattener(name)
    flat.walk(data, [])
    if flat.sections:
        return [*flat.loose, *flat.sections]
    lines: list[str] = []  # no records: the whole file is one text
    flat.prose(data, lines, [], 0)
    text = clean_text("\n".join(lines))
    return [Section(text=text)] if text else []


def _title(data: Any, fallback: str) -> str:
    if isinstance(data, dict):
        for key in _TITLE_KEYS:
            if isinstance(data.get(key), str):
                return str(data[key])
        for value in data.values():
            if isinstance(value, dict) and isinstance(value.get("metadata"), dict):
                meta_title = value["metadata"].get("title")
                if isinstance(meta_title, str):
                    return meta_title
            if isinstance(value, dict) and isinstance(value.get("title"), str):
                return str(value["title"])
    return fallback


def load_json(path: Path, data: bytes, limits: Any) -> LoadedDocument:
    try:
        parsed = json.loads(decode_text(path.name, data))
    except json.JSONDecodeError as exc:
        raise IngestError(
            path.name,
            f"Ungültiges JSON (Zeile {exc.lineno}): {exc.msg}.",
            en=f"Invalid JSON (line {exc.lineno}): {exc.msg}.",
        ) from exc
    except RecursionError as exc:
        raise IngestError(
            path.name, "JSON zu tief verschachtelt.", en="JSON nested too deeply."
        ) from exc
    return LoadedDocument(
        source=path.name,
        title=_title(parsed, path.stem)[:160],
        sections=tuple(flatten(path.name, parsed)),
        records=True,
    )


def load_yaml(path: Path, data: bytes, limits: Any) -> LoadedDocument:
    try:
        parsed = yaml.safe_load(decode_text(path.name, data))
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" (Zeile {mark.line + 1})" if mark is not None else ""
        where_en = f" (line {mark.line + 1})" if mark is not None else ""
        raise IngestError(
            path.name, f"Ungültiges YAML{where}.", en=f"Invalid YAML{where_en}."
        ) from exc
    except RecursionError as exc:
        raise IngestError(
            path.name, "YAML zu tief verschachtelt.", en="YAML nested too deeply."
        ) from exc
    return LoadedDocument(
        source=path.name,
        title=_title(parsed, path.stem)[:160],
        sections=tuple(flatten(path.name, parsed)),
        records=True,
    )
