"""Which documents belong to which vendor: explicit documents or the vendor tag from ingest."""

from __future__ import annotations

import logging
from collections.abc import Mapping, Sequence

from core.domain import DocumentInfo
from core.errors import VendorInputError
from kb.workspace import Workspace

log = logging.getLogger(__name__)

MIN_VENDORS = 2
MAX_VENDORS = 5

VendorSpec = Mapping[str, Sequence[str]] | Sequence[str]


def vendor_tags(ws: Workspace) -> dict[str, list[DocumentInfo]]:
    """Documents by vendor tag (as set at ingest), names sorted; untagged ones left out."""
    tags: dict[str, list[DocumentInfo]] = {}
    for info in ws.documents(fresh=True).values():
        if info.vendor:
            tags.setdefault(info.vendor, []).append(info)
    return {name: sorted(tags[name], key=lambda d: d.source) for name in sorted(tags)}


def parse_vendor_spec(spec: str) -> tuple[str, list[str]]:
    """``"NAME=DOC,DOC"`` -> (NAME, [DOC, DOC]); ``"NAME"`` alone -> (NAME, []) for its tag."""
    name, sep, docs = spec.partition("=")
    name = name.strip()
    if not name:
        raise VendorInputError(f"'{spec}': vor '=' fehlt der Name des Anbieters.")
    items = [d.strip() for d in docs.split(",") if d.strip()] if sep else []
    if sep and not items:
        raise VendorInputError(f"'{spec}': nach '=' fehlt mindestens ein Dokument.")
    return name, items


def resolve_vendors(ws: Workspace, vendors: VendorSpec) -> dict[str, tuple[DocumentInfo, ...]]:
    """Map each vendor to its documents; refuse what cannot be compared, naming the culprit.

    An empty document list (or a plain list of names) means: the documents tagged with
    that vendor. A document is given by doc_id or by file name (source).
    """
    spec: dict[str, Sequence[str]] = (
        dict(vendors) if isinstance(vendors, Mapping) else {name: [] for name in vendors}
    )
    if not MIN_VENDORS <= len(spec) <= MAX_VENDORS:
        raise VendorInputError(
            f"Für einen Vergleich braucht es {MIN_VENDORS} bis {MAX_VENDORS} Anbieter; "
            f"angegeben: {len(spec)}.",
            en=f"A comparison needs {MIN_VENDORS} to {MAX_VENDORS} vendors; given: {len(spec)}.",
        )
    seen: dict[str, str] = {}
    for name in spec:
        if not name.strip():
            raise VendorInputError("Ein Anbieter hat keinen Namen.", en="A vendor has no name.")
        key = name.strip().lower()
        if key in seen:
            raise VendorInputError(
                f"Anbieter '{name}' ist doppelt angegeben.", en=f"Vendor '{name}' is given twice."
            )
        seen[key] = name
    tagged = {k.lower(): v for k, v in vendor_tags(ws).items()}
    out: dict[str, tuple[DocumentInfo, ...]] = {}
    for name, docs in spec.items():
        if docs:
            found = []
            for doc in docs:
                info = ws.find_document(doc)
                if info is None:
                    raise VendorInputError(
                        f"Dokument '{doc}' (Anbieter '{name}') gibt es im Arbeitsbereich "
                        f"'{ws.name}' nicht.",
                        en=f"Document '{doc}' (vendor '{name}') does not exist in workspace "
                        f"'{ws.name}'.",
                    )
                found.append(info)
            out[name] = tuple(dict.fromkeys(found))
        else:
            infos = tagged.get(name.strip().lower(), [])
            if not infos:
                raise VendorInputError(
                    f"Anbieter '{name}' hat keine Dokumente: keines ist angegeben, und im "
                    f"Arbeitsbereich '{ws.name}' trägt kein Dokument diesen Anbieter-Tag "
                    f'(einlesen mit --category vendor --vendor "{name}").',
                    en=f"Vendor '{name}' has no documents: none is given, and no document in "
                    f"workspace '{ws.name}' carries this vendor tag "
                    f'(ingest with --category vendor --vendor "{name}").',
                )
            out[name] = tuple(infos)
    shared = _shared_documents(out)
    if shared:
        log.warning("documents used for several vendors: %s", ", ".join(shared))
    return out


def _shared_documents(docs: Mapping[str, Sequence[DocumentInfo]]) -> list[str]:
    owners: dict[str, int] = {}
    for infos in docs.values():
        for info in infos:
            owners[info.source] = owners.get(info.source, 0) + 1
    return sorted(source for source, count in owners.items() if count > 1)
