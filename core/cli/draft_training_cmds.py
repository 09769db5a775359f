"""``lotse draft training``: the step-5 training kit (plan, handouts, quiz) as one file."""

from __future__ import annotations

import logging
from datetime import datetime
from pathlib import Path

import click

from chains.schedule import load_schedule_knowledge, plan_schedule, scenario_region
from chains.training import (
    ALL,
    DEFAULT_QUESTIONS,
    MAX_QUESTIONS,
    MIN_QUESTIONS,
    PolicySearch,
    build_training_kit,
)
from core.cli.app import CliContext, draft, scenario_option
from exports.training import export_training, training_format
from knowledge.common import Lang
from knowledge.scenario import load_scenario
from knowledge.training import Audience, load_training_knowledge

log = logging.getLogger(__name__)

AUDIENCES = [ALL, *(a.value for a in Audience)]
PARTS = ["kit", "quiz", "answers"]


@draft.command("training")
@scenario_option
@click.option(
    "--workspace",
    "-w",
    default=None,
    help="Workspace whose documents of category 'policy' are quoted in the handouts "
    "(default: none, shipped knowledge only).",
)
@click.option(
    "--audience",
    type=click.Choice(AUDIENCES),
    default=ALL,
    show_default=True,
    help="Who the kit is for.",
)
@click.option(
    "--start",
    type=click.DateTime(formats=["%Y-%m-%d"]),
    default=None,
    help="First day of the integration plan, YYYY-MM-DD: sessions get dates on the "
    "step-5 working days of that schedule (without it they stay undated).",
)
@click.option(
    "--region",
    default=None,
    help="Holiday region of the schedule, e.g. CH-ZH, DE-BY (default: the company's).",
)
@click.option(
    "--lang",
    type=click.Choice(["de", "en"]),
    default=None,
    help="Language of the kit (default: LOTSE_UI_LANGUAGE).",
)
@click.option(
    "--questions",
    "quiz_size",
    default=DEFAULT_QUESTIONS,
    show_default=True,
    type=click.IntRange(MIN_QUESTIONS, MAX_QUESTIONS),
    help="Questions per quiz.",
)
@click.option(
    "--part",
    type=click.Choice(PARTS),
    default=None,
    help="For .docx: kit (plan and handouts, default), quiz (worksheet) or answers "
    "(quiz with solutions).",
)
@click.option(
    "--out",
    required=True,
    type=click.Path(dir_okay=False, path_type=Path),
    help="Output file; its suffix picks the artefact: .docx/.md (plan and handouts), .json "
    "(whole kit), .csv (quiz), .xlsx (attendance template), .ics/.png/.svg (schedule with "
    "the sessions, needs --start).",
)
@click.pass_obj
def training(
    ctx: CliContext,
    scenario_path: Path,
    workspace: str | None,
    audience: str,
    start: datetime | None,
    region: str | None,
    lang: str | None,
    quiz_size: int,
    part: str | None,
    out: Path,
) -> None:
    """Build the step-5 training kit for a scenario and write one file.

    Sessions per audience with goals, agenda, lead and requirement ids; handouts with do's
    and don'ts, each with its source; a checked quiz. Prints one line with what was built.
    """
    if part is not None and out.suffix.lower() != ".docx":
        raise click.BadParameter("--part gilt nur für .docx.", param_hint="--part")
    fmt = training_format(out.name, part)  # refuse an unknown suffix before any work
    if fmt.part == "schedule" and start is None:
        raise click.BadParameter(
            f"{out.suffix} zeigt den Zeitplan mit den Sitzungen und braucht --start.",
            param_hint="--start",
        )
    settings = ctx.settings
    language: Lang = "de" if (lang or settings.ui_language) == "de" else "en"
    scenario = load_scenario(scenario_path)
    templates, catalog = load_schedule_knowledge(settings.knowledge_dir)
    knowledge = load_training_knowledge(settings.knowledge_dir, catalog)
    schedule = None
    if start is not None:
        schedule = plan_schedule(
            scenario,
            templates,
            catalog,
            start.date(),
            region or scenario_region(scenario.company.country, scenario.company.canton_or_state),
            lang=language,
        )
    retriever: PolicySearch | None = None
    if workspace is not None:
        ctx.services.workspaces.open(workspace)  # a missing workspace is an error, not empty
        retriever = ctx.services.retriever(workspace)
    kit = build_training_kit(
        scenario,
        catalog,
        schedule,
        retriever,
        audience,
        language,
        knowledge=knowledge,
        quiz_size=quiz_size,
    )
    export_training(kit, out, part)
    log.info("training kit written to %s", out)
    for line in kit.notes:
        log.info("%s", line)
    questions = sum(len(q.questions) for q in kit.quizzes)
    dropped = sum(len(q.dropped) for q in kit.quizzes)
    items = sum(len(h.items) for h in kit.handouts)
    policy = sum(1 for h in kit.handouts for i in h.items if i.kind == "policy")
    handouts = len(kit.handouts)
    if language == "de":
        summary = (
            f"{len(kit.plan.sessions)} Sitzungen, {handouts} "
            f"{'Merkblatt' if handouts == 1 else 'Merkblätter'} ({items} Aussagen, {policy} "
            f"aus eigenen Richtlinien), {questions} Quizfragen"
            + (f" ({dropped} verworfen)" if dropped else "")
        )
    else:
        summary = (
            f"{len(kit.plan.sessions)} sessions, {handouts} "
            f"{'handout' if handouts == 1 else 'handouts'} ({items} statements, {policy} "
            f"from company policies), {questions} quiz questions"
            + (f" ({dropped} dropped)" if dropped else "")
        )
    click.echo(f"{summary} → {out}")
