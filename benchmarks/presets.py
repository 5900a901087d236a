"""Benchmark: every preset as a teacher meets it, and what the Boundary sheet costs.

    python benchmarks/presets.py [--repeats N] [--only PRESET …]

For each preset: the seconds sheetgen takes to write it (the median of N), its cells a second
against the rust preset's in the same run, and its peak memory (the writing process and its
helper together, in a process of its own); where it has a Boundary sheet, the
seconds without one, measured alternately in this process, the median of N of each, and the
seconds of the Boundary sheet's own work (its description, layout, band and values, timed
alone, the median of N: this machine's noise moves the difference of two whole writes by more
than the sheet costs); then, in
a real LibreOffice driven through its Python bridge (`libreoffice_typing.py`), the seconds
the file takes to open, and from a typed learning rate (and, on a Boundary or Pictures sheet,
a typed SHOW_ATTEMPT) until the last row, the summary and the maps or pictures have
recomputed. "Cells" counts every attempt row's, as the size estimate does.
"""

import argparse
import gc
import io
import statistics
import subprocess
import sys
import tempfile
import time
import zlib
from pathlib import Path

from sheetgen import api
from sheetgen.inputs.presets import NEURON_PRESETS as NEURONS
from sheetgen.maths.fields import LOSS
from sheetgen.sheets import panel
from sheetgen.sheets.boundary import BOUNDARY_SHEET_NAME, Picture, describe_boundary
from sheetgen.sheets.classified import has_pictures
from sheetgen.sheets.pictures import PICTURES_SHEET_NAME, describe_pictures
from sheetgen.sheets.columns import COLUMNS, SHEET_NAME, last_row
from sheetgen.sheets.network_sheet import CHARTS_SHEET_NAME, describe
from sheetgen.sheets.boundary_cells import map_cells, point_cells
from sheetgen.sheets.shown import SHOW_CELL, cell_name, parameter_cells, parameter_letters
from sheetgen.writing.boundary_band import band_part
from sheetgen.writing.boundary_layout import lay_out_boundary
from sheetgen.writing.network_workbook import write_network_workbook
from sheetgen.writing.sheet_parts import new_workbook
from sheetgen.writing.size import estimate
from sheetgen.writing.workbook import COMPRESS_LEVEL

sys.path.insert(0, str(Path(__file__).parent))
from generate import tree_memory  # noqa: E402  (the same measure as the baselines')

UNO_PYTHON = "/usr/bin/python3"
TYPING = Path(__file__).with_name("libreoffice_typing.py")
NEURON_PRESETS = ("article", "rust")
NETWORK_PRESETS = ("xor", "iris", "overfit", "circle", "spiral", "digits", "digits-conv")


def cells(kind: str, preset: str) -> int:
    """The workbook's cells as the size estimate counts them: every attempt row's."""
    source = NEURONS[preset][0] if kind == "neuron" else api.network_run(preset=preset)
    return estimate(source).cells()


def written(kind: str, preset: str, path: Path) -> float:
    gc.collect()
    started = time.perf_counter()
    (api.neuron if kind == "neuron" else api.network)(path, preset=preset)
    return time.perf_counter() - started


def peak_megabytes(kind: str, preset: str, path: Path) -> float:
    """The peak memory of a write in a fresh process, its helper's included (see
    `generate.tree_memory`)."""
    process = subprocess.Popen([sys.executable, "-c", f"from sheetgen import api; "
                                f"api.{kind}({str(path)!r}, preset={preset!r})"])
    peak = 0
    while process.poll() is None:
        peak = max(peak, tree_memory(process.pid))
        time.sleep(0.02)
    if process.returncode != 0:
        raise SystemExit(f"the {preset} preset failed")
    return peak / 2**20


def boundary_cost(preset: str, scratch: Path, repeats: int
                  ) -> tuple[float, float, float] | None:
    """The median seconds to write the preset with its Boundary sheet and without, and of the
    sheet's own work; None where it has none. The two writes alternate, each first in every
    other pair, so that both meet the same machine and neither always comes first."""
    run = api.network_run(preset=preset)
    if run.network.typed_inputs != 2:
        return None
    times = {True: [], False: []}
    own = []
    for pair in range(repeats):
        for drawn in (True, False) if pair % 2 == 0 else (False, True):
            # Each measure starts without the garbage the one before left for the collector.
            gc.collect()
            started = time.perf_counter()
            with open(scratch / f"{preset}-{drawn}.xlsx", "wb") as file:
                write_network_workbook(run, file, None, None, Picture() if drawn else None)
            times[drawn].append(time.perf_counter() - started)
        gc.collect()
        own.append(boundary_work(run))
    return (statistics.median(times[True]), statistics.median(times[False]),
            statistics.median(own))


def boundary_work(run) -> float:
    """The seconds of what the Boundary sheet adds to a write, step by step as the writer
    takes them: its description, its layout and openpyxl's saving of it (less the saving of
    a workbook without it, which every write pays), its parameters' and band's cells and
    values, and their compression at the writer's level."""
    sheet, (weights, biases) = describe(run), (run.weights, run.biases)
    started = time.perf_counter()
    new_workbook("").save(io.BytesIO())
    empty = time.perf_counter() - started
    started = time.perf_counter()
    boundary = describe_boundary(run)
    workbook = new_workbook("")
    _, styles = lay_out_boundary(workbook, boundary, sheet)
    workbook.save(io.BytesIO())
    list(parameter_cells(boundary, parameter_letters(sheet), weights, biases))
    band = band_part(b'<sheetData></sheetData><mergeCells count="0">', boundary,
                     map_cells(boundary, weights, biases), point_cells(boundary, weights, biases),
                     styles)
    zlib.compress(band, COMPRESS_LEVEL)
    return time.perf_counter() - started - empty


def changes(kind: str, preset: str) -> list[str]:
    """The typed changes and the cells each must reach, as `libreoffice_typing.py` takes
    them: the learning rate, to the last row's loss and the summary (and the answer map);
    SHOW_ATTEMPT, to the maps and the first sample's verdict."""
    rate = f"{SHEET_NAME}!{panel.INPUTS[0].cell}"
    if kind == "neuron":
        loss = next(col.letter for col in COLUMNS if col.field == "loss")
        end = last_row(NEURONS[preset][0].attempts)
        return [f"{rate}=0.02", f"{SHEET_NAME}!{loss}{end},{SHEET_NAME}!{panel.SUMMARY[0].cell}"]
    run = api.network_run(preset=preset)
    sheet = describe(run)
    watched = [f"{SHEET_NAME}!{sheet.letter(LOSS)}{last_row(run.attempts)}",
               f"{CHARTS_SHEET_NAME}!{sheet.summary[0].cell}"]
    typed = [f"{rate}={run.learning_rate * 0.9!r}"]
    if run.network.typed_inputs == 2:
        boundary = describe_boundary(run)
        maps = [f"{BOUNDARY_SHEET_NAME}!{m.span(boundary.grid)}" for m in boundary.maps]
        right = boundary.point_letter("right")
        verdicts = (f"{BOUNDARY_SHEET_NAME}!{right}{boundary.point_row(0)}:"
                    f"{right}{boundary.point_row(len(boundary.points) - 1)}")
        typed.append(",".join(watched + maps + [verdicts]))
        typed += [f"{BOUNDARY_SHEET_NAME}!{SHOW_CELL}={run.attempts // 2}",
                  ",".join(maps + [verdicts])]
        return typed
    if has_pictures(run):
        pictures = describe_pictures(run)
        drawn = [f"{PICTURES_SHEET_NAME}!{pictures.weights_range()}",
                 f"{PICTURES_SHEET_NAME}!{cell_name(*pictures.matrix_cell(1, 1))}:"
                 f"{cell_name(*pictures.matrix_cell(len(run.classes), len(run.classes)))}"]
        return typed + [",".join(watched + drawn),
                        f"{PICTURES_SHEET_NAME}!{SHOW_CELL}={run.attempts // 2}",
                        ",".join(drawn)]
    return typed + [",".join(watched)]


def typed_seconds(path: Path, kind: str, preset: str, scratch: Path) -> list[str]:
    profile = (scratch / "profile").as_uri()
    output = subprocess.run([UNO_PYTHON, str(TYPING), str(path), profile,
                             *changes(kind, preset)], check=True, capture_output=True,
                            text=True, timeout=1800, env={"HOME": str(scratch),
                                                          "PATH": "/usr/bin:/bin"}).stdout
    return [line.split()[1] for line in output.splitlines()]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=7)
    parser.add_argument("--only", nargs="+", metavar="PRESET",
                        help="these presets alone (the rust preset's rate is the others' "
                             "baseline: keep it in)")
    options = parser.parse_args()
    print("| preset | sheetgen s | cells | M cells/s | of the rust preset's rate | peak MB "
          "| without the Boundary sheet s | with it, more by "
          "| the Boundary sheet's own work s (share) | LibreOffice opens s "
          "| a typed rate recomputes s | a typed SHOW_ATTEMPT redraws s |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    rust_rate = None
    with tempfile.TemporaryDirectory(prefix="sheetgen-presets-") as scratch:
        scratch = Path(scratch)
        for kind, presets in (("neuron", NEURON_PRESETS), ("network", NETWORK_PRESETS)):
            for preset in presets:
                if options.only and preset not in options.only:
                    continue
                path = scratch / f"{preset}.xlsx"
                seconds = statistics.median(written(kind, preset, path)
                                            for _ in range(options.repeats))
                count = cells(kind, preset)
                rate = count / seconds
                rust_rate = rate if preset == "rust" else rust_rate
                row = [preset, f"{seconds:.2f}", f"{count:,}", f"{rate / 1e6:.2f}",
                       f"{rate / rust_rate:.0%}" if rust_rate else "–",
                       f"{peak_megabytes(kind, preset, path):.0f}"]
                cost = boundary_cost(preset, scratch, options.repeats) if kind == "network" \
                    else None
                row += ([f"{cost[1]:.2f}", f"{cost[0] / cost[1] - 1:+.0%}",
                           f"{cost[2]:.2f} ({cost[2] / cost[1]:.0%})"] if cost
                          else ["–", "–", "–"])
                timed = typed_seconds(path, kind, preset, scratch)
                row += timed + ["–"] * (3 - len(timed))
                print("| " + " | ".join(row) + " |", flush=True)
                for leftover in scratch.glob("*.xlsx"):
                    leftover.unlink()


if __name__ == "__main__":
    main()
