"""`lotse search "QUERY" | --queries FILE.jsonl` over one workspace."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import click

from core.cli.app import CliContext, cli, echo_json
from core.domain import CATEGORIES, SearchHit
from core.errors import LotseError


def hit_json(hit: SearchHit) -> dict[str, Any]:
    c = hit.chunk
    return {
        "rank": hit.rank,
        "text": c.text,
        "source": c.source,
        "page": c.page,
        "section": c.section,
        "doc_id": c.doc_id,
        "category": c.category,
        "score": round(hit.score, 6),
    }


def read_jsonl(path: Path, required: tuple[str, ...]) -> list[dict[str, Any]]:
    """Read a JSONL file; a bad line names the file and line number."""
    rows = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip():
            continue
        try:
            row = json.loads(line)
        except json.JSONDecodeError as exc:
            raise LotseError(f"{path.name}, Zeile {number}: ungültiges JSON ({exc.msg}).") from exc
        missing = [k for k in required if k not in row]
        if missing:
            raise LotseError(f"{path.name}, Zeile {number}: Feld(er) {missing} fehlen.")
        rows.append(row)
    return rows


@cli.command()
@click.argument("query", required=False)
@click.option("--workspace", "-w", default="default", show_default=True)
@click.option("--k", default=10, show_default=True, type=click.IntRange(1, 100))
@click.option("--category", type=click.Choice(CATEGORIES), default=None)
@click.option(
    "--queries",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="JSONL file of {id, question}; one output line each.",
)
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@click.pass_obj
def search(
    ctx: CliContext,
    query: str | None,
    workspace: str,
    k: int,
    category: str | None,
    queries: Path | None,
    as_json: bool,
) -> None:
    """Hybrid search (dense + keyword) in a workspace."""
    if not query and not queries:
        raise click.UsageError("QUERY oder --queries FILE angeben.")
    retriever = ctx.services.retriever(workspace)
    if queries:
        for row in read_jsonl(queries, ("id", "question")):
            hits = retriever.search(str(row["question"]), k=k, category=category)
            click.echo(
                json.dumps(
                    {"id": row["id"], "results": [hit_json(h) for h in hits]}, ensure_ascii=False
                )
            )
        return
    assert query is not None
    hits = retriever.search(query, k=k, category=category)
    if as_json:
        echo_json([hit_json(h) for h in hits])
        return
    if not hits:
        click.echo("Keine Treffer.")
    for h in hits:
        where = f"S. {h.chunk.page}" if h.chunk.page else h.chunk.section
        click.echo(f"[{h.rank}] {h.chunk.source} ({where})  {h.score:.4f}")
        click.echo("    " + h.chunk.text[:240].replace("\n", " "))
