"""`lotse ask "QUESTION" | --questions FILE.jsonl`: grounded answers with numbered sources."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import click

from core.audit import question_details
from core.cli.app import CliContext, cli, echo_json
from core.cli.search_cmds import read_jsonl
from core.domain import Answer

PROVIDER_CHOICES = ("none", "ollama", "openai", "llamacpp")


def _print_answer(answer: Answer) -> None:
    """The answer as text, framed in the question's language like the answer itself."""
    from chains.answering import answer_labels, data_flow_label
    from chains.answering.phrases import where
    from ingest.flags import describe

    lang = answer.language
    labels = answer_labels(lang)
    click.echo(answer.answer)
    if answer.notice:
        click.echo(f"\n{labels['notice']}: {answer.notice}")
    if answer.citations:
        click.echo(f"\n{labels['sources']}:")
        for c in answer.citations:
            place = where(lang, c.page, c.section)
            line = f"[{c.n}] {c.source}" + (f" ({place})" if place else "")
            flags = ", ".join(describe(f, lang) for f in c.flags)
            click.echo(line + (f"  ⚠ {flags}" if flags else ""))
    state = labels["grounded"] if answer.grounded else labels["ungrounded"]
    click.echo(f"\n({state}; {data_flow_label(answer, lang)})")


@cli.command()
@click.argument("question", required=False)
@click.option("--workspace", "-w", default="default", show_default=True)
@click.option(
    "--questions",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="JSONL file of {id, question}; one JSON line each, with the id.",
)
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@click.option(
    "--provider",
    type=click.Choice(PROVIDER_CHOICES),
    default=None,
    help="LLM provider (default: LOTSE_LLM_PROVIDER, 'none' = offline).",
)
@click.option("--base-url", default=None, help="Endpoint of the provider (LOTSE_LLM_BASE_URL).")
@click.option("--model", default=None, help="Model name, or GGUF path for llamacpp.")
@click.option(
    "--timeout",
    type=click.FloatRange(min=0, min_open=True),
    default=None,
    help="Seconds before the LLM call gives up (LOTSE_LLM_TIMEOUT_S).",
)
@click.pass_obj
def ask(
    ctx: CliContext,
    question: str | None,
    workspace: str,
    questions: Path | None,
    as_json: bool,
    provider: str | None,
    base_url: str | None,
    model: str | None,
    timeout: float | None,
) -> None:
    """Answer from the workspace's documents, with numbered sources.

    Offline by default (extractive, deterministic). With --provider an LLM writes the
    answer from the same passages; if it fails, the offline answer is given instead.
    """
    if not question and not questions:
        raise click.UsageError("QUESTION oder --questions FILE angeben.")
    changes: dict[str, Any] = {
        key: value
        for key, value in (
            ("llm_provider", provider),
            ("llm_base_url", base_url),
            ("llm_model", model),
            ("llm_timeout_s", timeout),
        )
        if value is not None
    }
    settings = ctx.settings.model_copy(update=changes) if changes else ctx.settings
    # LangChain is imported only when a question is asked, not on every `lotse` start.
    from chains.answering import ChatService, answer_record

    chat = ChatService.from_services(ctx.services, workspace, settings)

    def answer_logged(text: str) -> Answer:
        answer = chat.ask(text)
        asked = question_details(text, settings.log_questions)
        ctx.audit.record(
            "ask",
            workspace=workspace,
            provider=answer.provider,
            grounded=answer.grounded,
            left_machine=answer.left_machine,
            **asked,
        )
        return answer

    if questions:
        for row in read_jsonl(questions, ("id", "question")):
            record = {"id": row["id"], **answer_record(answer_logged(str(row["question"])))}
            click.echo(json.dumps(record, ensure_ascii=False))
        return
    assert question is not None
    answer = answer_logged(question)
    if as_json:
        echo_json(answer_record(answer))
    else:
        _print_answer(answer)
