"""The `kdeal` command: extract, eval, show and rules check.

Exit codes: 0 success, 1 some articles failed (or a gate was missed), 2 usage
or configuration error.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import sys
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    TextColumn,
    TimeElapsedColumn,
    TimeRemainingColumn,
)

from pipeline.problems import RuleError

app = typer.Typer(add_completion=False, no_args_is_help=True,
                  help="Deals, companies, money and dates from Korean business news.")
rules_app = typer.Typer(no_args_is_help=True, help="Check rule files and their examples.")
app.add_typer(rules_app, name="rules")
console = Console(stderr=True)
out_console = Console()

RulesOption = Annotated[
    list[Path] | None,
    typer.Option("--rules", help="Extra rules folder layered over the built-in rules "
                 "(same id overrides, new ids add). Repeatable."),
]


def _date(value: str | None) -> dt.date | None:
    if value is None:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        console.print(f"[red]--published {value!r} is not a YYYY-MM-DD date[/red]")
        raise typer.Exit(2) from None


def _rule_dirs(extra: list[Path] | None, no_default: bool = False) -> list[Path]:
    from pipeline.ruleset import rule_dirs

    return rule_dirs(extra, include_default=not no_default)


@app.command()
def extract(
    inputs: Annotated[list[Path], typer.Argument(help="Article files or folders (recursive).")],
    out: Annotated[Path, typer.Option("-o", "--out", help="Output folder.")] = Path("output"),
    published: Annotated[str | None, typer.Option(
        help="Reference date YYYY-MM-DD for articles without one.")] = None,
    rules: RulesOption = None,
    jobs: Annotated[int, typer.Option("--jobs", "-j", help="Worker processes.")] = 0,
    force: Annotated[bool, typer.Option(help="Redo articles whose output is up to date.")] = False,
    engine: Annotated[str, typer.Option(help="local or dask.")] = "local",
    scheduler: Annotated[str | None, typer.Option(
        help="Dask scheduler address (default: start a LocalCluster).")] = None,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="No progress bar.")] = False,
    max_chars: Annotated[int, typer.Option(
        help="Articles longer than this many characters are reported, not processed.")
    ] = 2_000_000,
) -> None:
    """Extract mentions, entities and deals from articles into OUT."""
    from pipeline.runner import RunOptions, count_inputs, run_extract

    if engine not in ("local", "dask"):
        console.print(f"[red]--engine must be local or dask, not {engine!r}[/red]")
        raise typer.Exit(2)
    missing = [p for p in inputs if not p.exists()]
    if missing:
        console.print(f"[red]no such file or folder: {', '.join(map(str, missing))}[/red]")
        raise typer.Exit(2)
    options = RunOptions(inputs=inputs, out=out, rule_dirs=_rule_dirs(rules),
                         published=_date(published), jobs=jobs or (os.cpu_count() or 1),
                         force=force, engine=engine, scheduler=scheduler,
                         max_chars=max_chars)
    show_bar = not quiet and console.is_terminal
    try:
        if show_bar:
            with Progress(TextColumn("extracting"), BarColumn(), MofNCompleteColumn(),
                          TextColumn("{task.fields[rate]} art/s"), TimeElapsedColumn(),
                          TimeRemainingColumn(), console=console) as bar:
                task = bar.add_task("extract", total=count_inputs(inputs) or None, rate="-")

                def advance(n: int) -> None:
                    bar.advance(task, n)
                    elapsed = bar.tasks[0].elapsed or 0
                    if elapsed:
                        rate = f"{bar.tasks[0].completed / elapsed:.1f}"
                        bar.update(task, rate=rate)

                summary = run_extract(options, advance)
        else:
            summary = run_extract(options)
    except RuleError as exc:
        console.print("[red]rule files have problems:[/red]")
        for problem in exc.problems:
            console.print(f"  {problem}", markup=False, highlight=False)
        raise typer.Exit(2) from None
    console.print(summary.line(), highlight=False)
    if summary.failed:
        console.print(f"[yellow]see {out / 'errors.jsonl'} for what failed and why[/yellow]")
        raise typer.Exit(1)


def _parse_threshold(text: str) -> tuple[str, float]:
    key, sep, value = text.partition("=")
    try:
        if not sep:
            raise ValueError
        return key.strip(), float(value)
    except ValueError:
        console.print(f"[red]--fail-under wants KEY=NUMBER, got {text!r}[/red]")
        raise typer.Exit(2) from None


@app.command("eval")
def evaluate_cmd(
    gold: Annotated[Path, typer.Option(help="Folder of gold kdeal.doc/1 files.")],
    pred: Annotated[Path, typer.Option(help="Folder of predicted kdeal.doc/1 files.")],
    json_out: Annotated[Path | None, typer.Option("--json", help="Write all figures here.")] = None,
    html: Annotated[Path | None, typer.Option(help="Write an HTML report here.")] = None,
    fail_under: Annotated[list[str] | None, typer.Option(
        help="KEY=VALUE, e.g. mentions.strict.f1=0.9; exit 1 when a figure is lower.")] = None,
    articles: Annotated[Path | None, typer.Option(
        help="Articles (folder or .jsonl) whose text the HTML report shows "
        "(default: an `articles` folder beside the gold folder).")] = None,
) -> None:
    """Score predictions against gold (ANNOTATION.md §5)."""
    from pipeline.evaluation import check_thresholds, evaluate, load_documents, lookup
    from pipeline.scoretable import render_report

    for folder, name in ((gold, "--gold"), (pred, "--pred")):
        if not folder.is_dir():
            console.print(f"[red]{name} {folder} is not a folder[/red]")
            raise typer.Exit(2)
    if articles is not None and not articles.exists():
        console.print(f"[red]--articles {articles} does not exist[/red]")
        raise typer.Exit(2)
    thresholds = [_parse_threshold(t) for t in fail_under or []]
    gold_docs, warnings = load_documents(gold)
    pred_docs, more = load_documents(pred)
    warnings += more
    if not gold_docs:
        console.print(f"[red]no kdeal.doc/1 files under {gold}[/red]")
        raise typer.Exit(2)
    report, comparisons, more = evaluate(gold_docs, pred_docs)
    warnings += more
    texts: dict[str, str] = {}
    if html:
        from pipeline.report import article_roots, find_article_texts

        texts, more = find_article_texts(gold_docs, article_roots(gold, articles))
        warnings += more
    for warning in warnings:
        console.print(f"[yellow]warning:[/yellow] {warning}", highlight=False)
    render_report(report, out_console)
    if json_out:
        json_out.parent.mkdir(parents=True, exist_ok=True)
        json_out.write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")
    if html:
        from pipeline.report import write_html_report

        write_html_report(html, report, comparisons, texts)
        console.print(f"HTML report written to {html} (article files found for {len(texts)} "
                      f"of {len(gold_docs)} gold documents)", highlight=False)
    unknown = []
    for key, _ in thresholds:
        try:
            lookup(report, key)
        except KeyError:
            unknown.append(key)
    if unknown:
        console.print(f"[red]--fail-under: no such figure: {', '.join(unknown)}[/red] "
                      "(see the keys of --json; e.g. mentions.strict.f1, deals.fields.date)",
                      highlight=False)
        raise typer.Exit(2)
    failures = check_thresholds(report, thresholds)
    if failures:
        console.print("[red]below the gate:[/red]")
        for failure in failures:
            console.print(f"  {failure}", highlight=False)
        raise typer.Exit(1)


@rules_app.command("check")
def rules_check(
    folder: Annotated[Path | None, typer.Argument(
        help="A rules folder to check (default: the built-in rules).")] = None,
    rules: RulesOption = None,
) -> None:
    """Validate every rule file and run every example; report all problems at once."""
    from pipeline.ruleset import load_ruleset

    extra = list(rules or [])
    if folder is not None:
        extra.insert(0, folder)
    dirs = _rule_dirs(extra)
    ruleset = load_ruleset(dirs, strict=False)
    count, failures = ruleset.check_examples()
    problems = ruleset.problems + failures
    for problem in problems:
        typer.echo(str(problem))
    typer.echo(f"{count} examples checked in {', '.join(map(str, dirs))}: "
               f"{len(problems)} problem(s)")
    if problems:
        raise typer.Exit(1)


@app.command()
def show(
    article: Annotated[Path, typer.Argument(help="An article file (.txt).")],
    published: Annotated[str | None, typer.Option(help="Reference date YYYY-MM-DD.")] = None,
    rules: RulesOption = None,
    html: Annotated[Path | None, typer.Option(help="Write highlighted HTML here.")] = None,
) -> None:
    """Print one article's mentions and deals, or write them as highlighted HTML."""
    from pipeline.extract import process_article
    from pipeline.reading import Article, read_inputs
    from pipeline.ruleset import load_ruleset
    from pipeline.showing import print_record

    try:
        ruleset = load_ruleset(_rule_dirs(rules))
    except RuleError as exc:
        for problem in exc.problems:
            console.print(f"  {problem}", markup=False, highlight=False)
        raise typer.Exit(2) from None
    items = [i for i in read_inputs([article]) if isinstance(i, Article)]
    if not items:
        console.print(f"[red]{article}: not a readable article[/red]")
        raise typer.Exit(1)
    for item in items:
        record = process_article(item, ruleset, _date(published))
        record["_text"] = item.text
        if html:
            from pipeline.report import write_html_document

            write_html_document(html, record)
            console.print(f"HTML written to {html}")
        else:
            print_record(record, out_console)


def main() -> None:
    """Console entry point."""
    try:
        app()
    except KeyboardInterrupt:
        console.print("[yellow]interrupted; run the same command again to resume[/yellow]")
        sys.exit(130)
