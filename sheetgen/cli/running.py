"""Running a command that writes a workbook or a handout through the API, and the line it
prints once it has."""

import argparse

from sheetgen.cli.parsing import given
from sheetgen.summaries import RunSummary
from sheetgen.writing.progress import ProgressBar


def write(writer, chosen: argparse.Namespace, line=None) -> int:
    """Write the workbook with `writer` (`api.neuron`, `api.network` or an exercise's), with
    a progress bar on a terminal unless -q, and say what was written: `line` of what the
    writer returns (by default, how its run ended)."""
    progress = ProgressBar(enabled=not chosen.quiet)
    try:
        written = writer(chosen.output, progress=progress, **given(chosen))
    finally:
        progress.close()
    if not chosen.quiet:
        print((line or _written_line)(written))
    return 0


def print_handout(printer, chosen: argparse.Namespace) -> int:
    """Print the handout with `printer` (`api.neuron_handout` or `api.network_handout`)."""
    printed = printer(chosen.output, **given(chosen))
    if not chosen.quiet:
        print(f"wrote {printed.path}: {printed.pages} pages, {printed.trained}")
    return 0


def _written_line(summary: RunSummary) -> str:
    if summary.final_output is not None:   # the article's own sheet
        return (f"wrote {summary.path}: {summary.trained}; the last outputs "
                f"{summary.final_output!r} for target {summary.target!r} ({summary.status})")
    check = ("" if summary.largest_difference is None else
             f"; the gradient check's largest relative difference is "
             f"{summary.largest_difference:.1e} (where the loss is at or above the "
             "threshold)")
    tested = ("" if summary.lowest_test_loss is None else
              f"; the test loss is lowest, {summary.lowest_test_loss:.4g}, at attempt "
              f"{summary.lowest_test_at:,}")
    return (f"wrote {summary.path}: {summary.trained}; the last loss is "
            f"{summary.final_loss!r} ({summary.status}){tested}{check}")
