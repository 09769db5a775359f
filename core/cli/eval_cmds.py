"""`lotse eval --workspace W --questions FILE.jsonl [--k 10]`: retrieval quality."""

from __future__ import annotations

from pathlib import Path

import click

from core.cli.app import CliContext, cli, echo_json
from core.cli.search_cmds import read_jsonl
from kb.evaluation import Question, evaluate, load_families


@cli.command("eval")
@click.option("--workspace", "-w", default="default", show_default=True)
@click.option(
    "--questions", required=True, type=click.Path(exists=True, dir_okay=False, path_type=Path)
)
@click.option(
    "--manifest",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="MANIFEST.tsv with derivation families (default: next to the questions).",
)
@click.option("--k", default=10, show_default=True, type=click.IntRange(1, 100))
@click.option("--json", "as_json", is_flag=True)
@click.pass_obj
def eval_(
    ctx: CliContext,
    workspace: str,
    questions: Path,
    manifest: Path | None,
    k: int,
    as_json: bool,
) -> None:
    """Recall@1/5/10 and MRR@10 overall and per language, and the misses."""
    fields = ("id", "lang", "question", "source_file", "locator", "key_phrase")
    qs = [
        Question(**{f: r[f] for f in fields}, cross_lingual=bool(r.get("cross_lingual")))
        for r in read_jsonl(questions, fields)
    ]
    families = load_families(manifest or questions.parent / "MANIFEST.tsv")
    retriever = ctx.services.retriever(workspace)
    result = evaluate(qs, lambda q, n: retriever.search(q, k=n), families, k)
    summary = {lang or "all": result.metrics(lang) for lang in (None, "de", "en")}
    if as_json:
        echo_json({"metrics": summary, "misses": result.misses(), "rows": result.rows})
        return
    for name, m in summary.items():
        click.echo(
            f"{name:4} n={m['n']:3}  R@1 {m['recall@1']:.2f}  R@5 {m['recall@5']:.2f}  "
            f"R@10 {m['recall@10']:.2f}  MRR@10 {m['mrr@10']:.3f}"
        )
    for miss in result.misses():
        click.echo(f"MISS {miss['id']}: {miss['question'][:90]}  -> {miss['top']}")
