"""The one command-line entry point: ``python -m pipeline`` (also ``plantrace``).

Library errors become one-line messages here and nowhere else.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

import click

DEFAULT_DB = Path("outputs/plantrace.db")
METADATA = Path(__file__).resolve().parent / "metadata.yml"


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
def main() -> None:
    """plantrace: read district plans and reports, publish who did what."""


def limit_options(f):
    """Bounds on one file's worker process (a pathological file cannot hang or kill the run)."""
    f = click.option("--memory-mb", default=2048, show_default=True, type=click.IntRange(64),
                     help="Memory (address space) one file's worker may use.")(f)
    return click.option("--timeout", default=120.0, show_default=True, type=click.FloatRange(0.1),
                        help="Seconds one file may take.")(f)


@main.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--db", "db_path", default=DEFAULT_DB, type=click.Path(path_type=Path), show_default=True)
@click.option("--quiet", is_flag=True, help="No progress bar.")
@limit_options
def ingest(paths: tuple[Path, ...], db_path: Path, quiet: bool, timeout: float, memory_mb: int) -> None:
    """Ingest files and folders once (same bytes → nothing new)."""
    from pipeline.ingest import Pipeline
    from pipeline.sandbox import Limits

    pipe = Pipeline(db_path, limits=Limits(timeout, memory_mb))
    summary = pipe.ingest(list(paths), progress=not quiet and sys.stderr.isatty())
    for o in summary.outcomes:
        if o.outcome == "failed":
            click.echo(f"failed: {o.path}: {o.stage}: {o.error}", err=True)
    click.echo(summary.line())
    if summary.count("failed"):
        sys.exit(1)  # the batch went on; the failures are in ingest_log and outputs/quarantine


@main.command()
@click.argument("inbox", required=False, default=Path("inbox"), type=click.Path(path_type=Path))
@click.option("--db", "db_path", default=DEFAULT_DB, type=click.Path(path_type=Path), show_default=True)
@click.option("--settle", default=2.0, show_default=True, type=click.FloatRange(0),
              help="Seconds a file's size and mtime must stay unchanged before it is taken.")
@click.option("--rescan", default=30.0, show_default=True, type=click.FloatRange(0.1),
              help="Seconds between full rescans of the inbox (catches what events missed).")
@click.option("--polling", is_flag=True, help="Poll the folder instead of using filesystem events.")
@click.option("--once", is_flag=True, help="Take what is in the inbox now, then exit.")
@limit_options
def watch(inbox: Path, db_path: Path, settle: float, rescan: float, polling: bool, once: bool, timeout: float,
          memory_mb: int) -> None:
    """Watch the drop folder; ingest each file once it is completely written, then move it
    to outputs/store (or outputs/quarantine). Logs to stderr; stops on Ctrl-C or SIGTERM."""
    import logging
    import signal
    import threading

    stop = threading.Event()  # Ctrl-C / SIGTERM: finish or abandon the current file, then exit 0
    for sig in (signal.SIGINT, signal.SIGTERM):
        signal.signal(sig, lambda *_: stop.set())

    from pipeline.sandbox import Limits
    from pipeline.watch import Watcher, WatchError

    logging.basicConfig(level=logging.INFO, stream=sys.stderr,
                        format="%(asctime)s %(levelname)-7s %(message)s", datefmt="%Y-%m-%d %H:%M:%S")
    try:
        watcher = Watcher(inbox, db_path, settle=settle, rescan=rescan, polling=polling,
                          limits=Limits(timeout, memory_mb), stop=stop)
    except WatchError as e:
        raise click.ClickException(str(e)) from None
    try:
        watcher.run(once=once)
    finally:
        watcher.close()


@main.command()
@click.option("--db", "db_path", default=DEFAULT_DB, type=click.Path(path_type=Path), show_default=True)
@click.option("--port", default=8001, show_default=True)
@click.option("--host", default="127.0.0.1", show_default=True)
def serve(db_path: Path, port: int, host: str) -> None:
    """Publish the database with Datasette (read-only: no write permissions are granted)."""
    if not db_path.exists():
        raise click.ClickException(f"no database at {db_path}: run 'python -m pipeline ingest corpus' first")
    args = [sys.executable, "-m", "datasette", "serve", str(db_path), "--metadata", str(METADATA),
            "--host", host, "--port", str(port), "--setting", "sql_time_limit_ms", "5000",
            "--setting", "default_page_size", "50",
            "--plugins-dir", str(Path(__file__).resolve().parent / "plugins")]
    os.execv(sys.executable, args)


@main.command(name="eval")
@click.option("--verbose", "-v", is_flag=True, help="List every miss and extra.")
def eval_(verbose: bool) -> None:
    """Score the extractors against corpus/gold: precision, recall and F1 per extractor."""
    from pipeline.evaluate import check, check_crosscheck, evaluate, evaluate_crosscheck, report, report_crosscheck

    result = evaluate()
    click.echo(report(result, verbose))
    cross = evaluate_crosscheck()
    click.echo(report_crosscheck(cross, verbose))
    unmet = check(result) + check_crosscheck(cross)
    click.echo("cross-check floors met" if not check_crosscheck(cross) else "CROSS-CHECK FLOORS NOT MET: "
               + "; ".join(check_crosscheck(cross)))
    if unmet:
        sys.exit(1)


@main.command()
@click.argument("document")
@click.option("--db", "db_path", default=DEFAULT_DB, type=click.Path(path_type=Path), show_default=True)
@click.option("-o", "output", type=click.Path(path_type=Path), help="Write the HTML here (default: stdout).")
def show(document: str, db_path: Path, output: Path | None) -> None:
    """A displaCy view of a document (id or file name): bodies, citations, figures, tasks."""
    import sqlite3

    from pipeline.show import document_html

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
@click.option("--db", "db_path", default=DEFAULT_DB, type=click.Path(path_type=Path), show_default=True)
@click.option("-o", "--output", type=click.Path(path_type=Path),
              help="Output file (default: outputs/ke-hoach-<number>.<format>; json: stdout).")
def export(fmt: str, plan: str | None, db_path: Path, output: Path | None) -> None:
    """Export: compliance matrix (xlsx), draft synthesis report (docx), full dump (json)."""
    from pipeline import export as ex

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
    from pipeline import reviews

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
    @click.option("--db", "db_path", default=DEFAULT_DB, type=click.Path(path_type=Path), show_default=True)
    def command(evidence_id, note, reviewer, db_path):
        _review(verdict, evidence_id, note, reviewer, db_path)


_verdict_command("confirmed", "confirm", "Confirm that a statement evidences a task.")
_verdict_command("rejected", "reject", "Reject a link: the statement does not evidence the task.")


if __name__ == "__main__":
    main()
