"""``lotse draft schedule``: plan the seven steps on working days and write one file."""

from __future__ import annotations

import logging
from datetime import date, datetime
from pathlib import Path

import click

from chains.schedule import (
    load_schedule_knowledge,
    parse_capacity,
    plan_schedule,
    scenario_region,
    summarize,
)
from core.cli.app import CliContext, draft, scenario_option
from exports.schedule import SCHEDULE_FORMATS, export_schedule, schedule_format
from knowledge.scenario import load_scenario

log = logging.getLogger(__name__)


@draft.command("schedule")
@scenario_option
@click.option(
    "--start",
    required=True,
    type=click.DateTime(formats=["%Y-%m-%d"]),
    help="First day of the plan, YYYY-MM-DD (moved to the next working day).",
)
@click.option(
    "--region",
    default=None,
    help="Country or country-canton/state for holidays, e.g. CH-ZH, DE-BY, AT-9 "
    "(default: the scenario company's country and canton/state).",
)
@click.option(
    "--capacity",
    "capacity_specs",
    multiple=True,
    metavar="ROLE=PEOPLE*SHARE",
    help="Team availability per role, repeatable, e.g. it_lead=2*0.8 "
    "management=1*0.5. Roles: management, it_lead, dpo, business, staff, "
    "provider. Unnamed roles keep the default.",
)
@click.option(
    "--days",
    "target_days",
    default=14,
    show_default=True,
    type=click.IntRange(1, 260),
    help="Target length in working days.",
)
@click.option(
    "--lang",
    type=click.Choice(["de", "en"]),
    default=None,
    help="Language of titles and labels (default: LOTSE_UI_LANGUAGE).",
)
@click.option("--allow-past", is_flag=True, help="Accept a start date before today.")
@click.option(
    "--out",
    required=True,
    type=click.Path(dir_okay=False, path_type=Path),
    help="Output file; its suffix picks the format: " + ", ".join(SCHEDULE_FORMATS) + ".",
)
@click.pass_obj
def schedule(
    ctx: CliContext,
    scenario_path: Path,
    start: datetime,
    region: str | None,
    capacity_specs: tuple[str, ...],
    target_days: int,
    lang: str | None,
    allow_past: bool,
    out: Path,
) -> None:
    """Plan the integration on real working days and export it (ICS, XLSX, MD, JSON, PNG, SVG).

    Prints one line: whether the plan fits the target, the working days it needs and
    the bottleneck role. A plan that does not fit is still written, never squeezed.
    """
    schedule_format(out.name)  # refuse an unknown suffix before any work
    if not allow_past and start.date() < date.today():
        raise click.BadParameter(
            f"{start.date().isoformat()} liegt in der Vergangenheit; "
            "mit --allow-past trotzdem planen.",
            param_hint="--start",
        )
    settings = ctx.settings
    scenario = load_scenario(scenario_path)
    templates, catalog = load_schedule_knowledge(settings.knowledge_dir)
    language = lang or settings.ui_language
    plan = plan_schedule(
        scenario,
        templates,
        catalog,
        start.date(),
        region or scenario_region(scenario.company.country, scenario.company.canton_or_state),
        capacity=parse_capacity(capacity_specs),
        target_days=target_days,
        lang="de" if language == "de" else "en",
        allow_past=True,  # checked above, with the CLI's own hint
    )
    export_schedule(plan, out)
    log.info("schedule written to %s", out)
    click.echo(f"{summarize(plan)} → {out}")
