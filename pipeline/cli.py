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


@main.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--db", "db_path", default=DEFAULT_DB, type=click.Path(path_type=Path), show_default=True)
@click.option("--quiet", is_flag=True, help="No progress bar.")
def ingest(paths: tuple[Path, ...], db_path: Path, quiet: bool) -> None:
    """Ingest files and folders once (same bytes → nothing new)."""
    from pipeline.ingest import Pipeline

    pipe = Pipeline(db_path)
    summary = pipe.ingest(list(paths), progress=not quiet and sys.stderr.isatty())
    for o in summary.outcomes:
        if o.outcome == "failed":
            click.echo(f"failed: {o.path}: {o.stage}: {o.error}", err=True)
    click.echo(summary.line())
    if summary.count("failed"):
        sys.exit(1)  # the batch went on; the failures are in ingest_log and outputs/quarantine


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
            "--setting", "default_page_size", "50"]
    os.execv(sys.executable, args)


@main.command(name="eval")
@click.option("--verbose", "-v", is_flag=True, help="List every miss and extra.")
def eval_(verbose: bool) -> None:
    """Score the extractors against corpus/gold: precision, recall and F1 per extractor."""
    from pipeline.evaluate import check, evaluate, report

    result = evaluate()
    click.echo(report(result, verbose))
    if check(result):
        sys.exit(1)


if __name__ == "__main__":
    main()
