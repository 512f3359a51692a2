"""The one command-line entry point: ``python -m pipeline`` (also ``plantrace``).

Library errors become one-line messages here and nowhere else.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

import click

from pipeline.core.settings import Settings, SettingsError

METADATA = Path(__file__).resolve().parent / "publish" / "metadata.yml"
DEFAULTS = Settings()


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.option("--config", "config", type=click.Path(path_type=Path), default=None,
              help="Settings file (TOML; see plantrace.example.toml). Default: $PLANTRACE_CONFIG, "
                   "else ./plantrace.toml if present. Command-line options override it.")
@click.pass_context
def main(ctx: click.Context, config: Path | None) -> None:
    """plantrace: read district plans and reports, publish who did what."""
    try:
        ctx.obj = Settings.load(config)
    except SettingsError as e:
        raise click.ClickException(str(e)) from None


def settings(**overrides) -> Settings:
    """The settings of this run: the file's (or the defaults), with the options given."""
    base = click.get_current_context().find_object(Settings) or Settings()
    try:
        return base.with_overrides(**overrides)
    except SettingsError as e:
        raise click.ClickException(str(e)) from None


def db_option(f):
    return click.option("--db", "db_path", default=None, type=click.Path(path_type=Path),
                        help=f"Database file (settings: db; default {DEFAULTS.db}).")(f)


def limit_options(f):
    """Bounds on one file's worker process (a pathological file cannot hang or kill the run)."""
    f = click.option("--memory-mb", default=None, type=click.IntRange(64),
                     help=f"Memory (address space) one file's worker may use "
                          f"(settings: limits.memory_mb; default {DEFAULTS.limits.memory_mb}).")(f)
    return click.option("--timeout", default=None, type=click.FloatRange(0.1),
                        help=f"Seconds one file may take (settings: limits.seconds; "
                             f"default {DEFAULTS.limits.seconds:g}).")(f)


@main.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@db_option
@click.option("--quiet", is_flag=True, help="No progress bar.")
@limit_options
def ingest(paths: tuple[Path, ...], db_path: Path | None, quiet: bool, timeout: float | None,
           memory_mb: int | None) -> None:
    """Ingest files and folders once (same bytes → nothing new)."""
    from pipeline.intake.ingest import Pipeline

    s = settings(db=db_path, limits__seconds=timeout, limits__memory_mb=memory_mb)
    pipe = Pipeline(s.db, limits=s.limits, settings=s)
    summary = pipe.ingest(list(paths), progress=not quiet and sys.stderr.isatty())
    for o in summary.outcomes:
        if o.outcome == "failed":
            click.echo(f"failed: {o.path}: {o.stage}: {o.error}", err=True)
    click.echo(summary.line())
    if summary.count("failed"):
        sys.exit(1)  # the batch went on; the failures are in ingest_log and outputs/quarantine


@main.command()
@click.argument("inbox", required=False, default=None, type=click.Path(path_type=Path))
@db_option
@click.option("--settle", default=None, type=click.FloatRange(0),
              help=f"Seconds a file's size and mtime must stay unchanged before it is taken "
                   f"(settings: watch.settle; default {DEFAULTS.watch.settle:g}).")
@click.option("--rescan", default=None, type=click.FloatRange(0.1),
              help=f"Seconds between full rescans of the inbox, catching what events missed "
                   f"(settings: watch.rescan; default {DEFAULTS.watch.rescan:g}).")
@click.option("--polling", is_flag=True, default=None,
              help="Poll the folder instead of using filesystem events (settings: watch.polling).")
@click.option("--once", is_flag=True, help="Take what is in the inbox now, then exit.")
@limit_options
def watch(inbox: Path | None, db_path: Path | None, settle: float | None, rescan: float | None,
          polling: bool | None, once: bool, timeout: float | None, memory_mb: int | None) -> None:
    """Watch the drop folder; ingest each file once it is completely written, then move it
    to outputs/store (or outputs/quarantine). Logs to stderr; stops on Ctrl-C or SIGTERM."""
    import logging
    import signal
    import threading

    stop = threading.Event()  # Ctrl-C / SIGTERM: finish or abandon the current file, then exit 0
    for sig in (signal.SIGINT, signal.SIGTERM):
        signal.signal(sig, lambda *_: stop.set())

    from pipeline.intake.watch import Watcher, WatchError

    s = settings(inbox=inbox, db=db_path, watch__settle=settle, watch__rescan=rescan, watch__polling=polling,
                 limits__seconds=timeout, limits__memory_mb=memory_mb)
    logging.basicConfig(level=logging.INFO, stream=sys.stderr,
                        format="%(asctime)s %(levelname)-7s %(message)s", datefmt="%Y-%m-%d %H:%M:%S")
    try:
        watcher = Watcher(s.inbox, s.db, settle=s.watch.settle, rescan=s.watch.rescan, polling=s.watch.polling,
                          limits=s.limits, stop=stop, settings=s)
    except WatchError as e:
        raise click.ClickException(str(e)) from None
    try:
        watcher.run(once=once)
    finally:
        watcher.close()


@main.command()
@db_option
@click.option("--port", default=None, type=int, help=f"Port (settings: serve.port; default {DEFAULTS.serve.port}).")
@click.option("--host", default=None, help=f"Address (settings: serve.host; default {DEFAULTS.serve.host}).")
def serve(db_path: Path | None, port: int | None, host: str | None) -> None:
    """Publish the database with Datasette (read-only: no write permissions are granted)."""
    s = settings(db=db_path, serve__port=port, serve__host=host)
    db_path, port, host = s.db, s.serve.port, s.serve.host
    if not db_path.exists():
        raise click.ClickException(f"no database at {db_path}: run 'python -m pipeline ingest corpus' first")
    args = [sys.executable, "-m", "datasette", "serve", str(db_path), "--metadata", str(METADATA),
            "--host", host, "--port", str(port), "--setting", "sql_time_limit_ms", "5000",
            "--setting", "default_page_size", "50"]
    os.execv(sys.executable, args)


@main.command()
@click.argument("document")
@db_option
@click.option("-o", "output", type=click.Path(path_type=Path), help="Write the HTML here (default: stdout).")
def show(document: str, db_path: Path, output: Path | None) -> None:
    """A displaCy view of a document (id or file name): bodies, citations, figures, tasks."""
    import sqlite3

    from pipeline.publish.show import document_html

    db_path = settings(db=db_path).db
    if not db_path.exists():
        raise click.ClickException(f"no database at {db_path}")
    with sqlite3.connect(db_path) as conn:
        html = document_html(conn, document)
    if html is None:
        raise click.ClickException(f"no document {document} in {db_path}")
    if output:
        output.write_text(html, encoding="utf-8")
    else:
        click.echo(html)


@main.command()
@click.argument("fmt", metavar="{xlsx,docx,json}", type=click.Choice(["xlsx", "docx", "json"]))
@click.option("--plan", default=None, help="Plan: document id or số ký hiệu (95/KH-UBND); default: every plan.")
@db_option
@click.option("-o", "--output", type=click.Path(path_type=Path),
              help="Output file (default: outputs/ke-hoach-<number>.<format>; json: stdout).")
def export(fmt: str, plan: str | None, db_path: Path, output: Path | None) -> None:
    """Export: compliance matrix (xlsx), draft synthesis report (docx), full dump (json)."""
    from pipeline.publish import export as ex

    try:
        db = ex.open_db(db_path)
        plan_ids = ex.resolve_plans(db, plan)
        if fmt == "json":
            text = ex.export_json(db, plan_ids, single=plan is not None)
            if output is None:
                click.echo(text)
                return
            output.parent.mkdir(parents=True, exist_ok=True)
            output.write_text(text + "\n", encoding="utf-8")
        else:
            output = output or ex.default_output(db_path, fmt, plan_ids, db)
            (ex.export_xlsx if fmt == "xlsx" else ex.export_docx)(db, plan_ids, output)
    except ex.ExportError as e:
        raise click.ClickException(str(e)) from None
    except OSError as e:
        raise click.ClickException(f"cannot write {output}: {e.strerror or e}") from None
    click.echo(f"wrote {output} ({len(plan_ids)} plan(s))", err=True)


@main.group()
def review() -> None:
    """Record an analyst's verdict on a task ↔ evidence link."""


def _review(verdict: str, evidence_id: str, note: str | None, reviewer: str | None, db_path: Path) -> None:
    from pipeline.db import reviews

    try:
        row = reviews.record(db_path, evidence_id, verdict, note, reviewer)
    except reviews.ReviewError as e:
        raise click.ClickException(str(e))
    click.echo(f"{row['verdict']}: evidence {row['evidence_id']} by {row['reviewer']} at {row['at']}")


def _verdict_command(verdict: str, name: str, doc: str) -> None:
    @review.command(name=name, help=doc)
    @click.argument("evidence_id")
    @click.option("--note", default=None)
    @click.option("--reviewer", default=None, help="Who decides (default: the login name).")
    @db_option
    def command(evidence_id, note, reviewer, db_path):
        _review(verdict, evidence_id, note, reviewer, settings(db=db_path).db)


_verdict_command("confirmed", "confirm", "Confirm that a statement evidences a task.")
_verdict_command("rejected", "reject", "Reject a link: the statement does not evidence the task.")


if __name__ == "__main__":
    main()
