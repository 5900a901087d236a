"""Shared by the tests: generating workbooks, reaching real engines and recalculating with
them, comparing what they computed with the reference, editing files by hand."""

import importlib
import os
import re
import shutil
import subprocess
import sys
import zipfile
from collections import defaultdict
from html import unescape
from pathlib import Path

import pytest

from sheetgen import InputError, api
from sheetgen.cli import main
from sheetgen.engines.subjects import compare_network_values, own_summary, sensitive_from
from sheetgen.engines.comparison import agrees, summary_mismatch
from sheetgen.engines.programs import ENGINES, Engine
from sheetgen.engines.network_reading import read_network_workbook
from sheetgen.maths import neuron
from sheetgen.maths.fields import fields, header
from sheetgen.maths.network import Run
from sheetgen.maths.summary import summarize_run
from sheetgen.maths.neuron import Parameters
from sheetgen.sheets.boundary import Picture, has_boundary
from sheetgen.sheets.classified import has_pictures
from sheetgen.sheets import panel, sweep
from sheetgen.sheets.network_sheet import describe
from sheetgen.writing.network_workbook import write_network_workbook
from sheetgen.writing.workbook import write_workbook

IN_CI = os.environ.get("CI", "").lower() == "true"
STORED_CELL = re.compile(r'<c r="([A-Z]+)(\d+)"(?: s="\d+")?(?: t="(s|str|n)")?>'
                         r'(?:<f[^>]*>([^<]*)</f>|<f[^>]*/>)?<v>([^<]*)</v></c>')
"""A cell with a value as sheetgen writes it: a number, a shared string or a formula's result,
the formula written whole or shared."""
UNO_PYTHON = "/usr/bin/python3"
"""Debian's Python, the one that can import LibreOffice's `uno` module."""


def unavailable(message: str):
    """Skip the test for want of a program or library; in CI (CI=true) fail it instead."""
    if IN_CI:
        pytest.fail(f"{message}; CI must run every test")
    pytest.skip(message)


def require_engine(name: str) -> Engine:
    """The engine, or a skip (a failure in CI). Tests ask for it through conftest.py's
    fixtures, which mark them `engines`."""
    engine = ENGINES[name]
    if engine.path() is None:
        unavailable(f"{engine.program} not found (Debian package {engine.package})")
    return engine


def require_module(name: str, package: str):
    """A test-only library, or a skip (a failure in CI)."""
    try:
        return importlib.import_module(name)
    except ImportError:
        unavailable(f"{package} is not installed (pip install -e '.[test]' installs it)")


def recalculated(engine: Engine, source: Path) -> Path:
    """`source` recalculated by `engine`, saved beside it; a sound workbook gets no warning."""
    destination = source.with_name(f"{source.stem}-{engine.name}.xlsx")
    assert engine.recalculate(source, destination) == ""
    return destination


def assert_matches_reference(workbook, run: Run):
    """A network workbook as read back: its run, every row and its summary the reference's."""
    assert workbook.run == run
    comparison = compare_network_values(workbook.values.rows, workbook.sheet)
    assert comparison.mismatch is None, comparison.mismatch
    assert comparison.compared_attempts == run.attempts
    expected = own_summary(workbook.sheet, workbook.values.rows,
                           summarize_run(run))
    assert summary_mismatch(workbook.summary_values, expected, workbook.sheet.summary) is None


def assert_sweep_rows_match(rows, parameters: Parameters):
    """Every block of the Sweep sheet against its reference run; a chaotic block (rate 5) up
    to its onset."""
    runs = sweep.sweep_runs(parameters)
    assert len(rows) == runs[0].attempts
    for block, run in enumerate(runs):
        letters = sweep.block_letters(block)
        onset = sensitive_from(run) or run.attempts + 1
        for cells, attempt in zip(rows[:onset - 1], neuron.train(run)):
            for name in ("weight", "bias", "output", "loss"):
                assert agrees(cells[letters[name]], getattr(attempt, name)), (
                    block, attempt.number, name)


def letter(sheet, header: str) -> str:
    """The letter of a network sheet's (first) column with this header, as the sheet shows
    it: "w x1→h1", "m b o1", "Attempt"."""
    return next(col.letter for col in sheet.columns if col.header == header)


def headers(run: Run) -> list[str]:
    """The header of each value of the run's rows, in order."""
    return [header(run.network, field) for field in fields(run)]


def poppler(tool: str, *arguments: str) -> str:
    """What one of poppler's tools (pdfinfo, pdftotext) prints."""
    program = shutil.which(tool)
    if program is None:
        unavailable(f"{tool} not found (Debian package poppler-utils)")
    return subprocess.run([program, *arguments], capture_output=True, text=True,
                          check=True).stdout


def pdf_text(path: Path, page: int) -> str:
    return poppler("pdftotext", "-f", str(page), "-l", str(page), str(path), "-")


def typed_numbers(cells: dict[str, float]):
    """An edit of a worksheet's XML: new numbers typed into cells, as a hand edit would."""
    def edit(xml: str) -> str:
        for cell, value in cells.items():
            xml, count = re.subn(f'(<c r="{cell}"[^>]*>)<v>[^<]*</v>', f"\\g<1><v>{value!r}</v>",
                                 xml)
            assert count == 1, cell
        return xml
    return edit


def typed_texts(cells: dict[str, str]):
    """An edit of a worksheet's XML: texts typed into cells, in place of what they held."""
    def edit(xml: str) -> str:
        for cell, text in cells.items():
            xml, count = re.subn(f'(<c r="{cell}"[^>]*?)(?: t="\\w+")?>.*?</c>',
                                 f'\\g<1> t="inlineStr"><is><t>{text}</t></is></c>', xml)
            assert count == 1, cell
        return xml
    return edit


def check(path: Path, engine: str = "all") -> tuple[int, str, str]:
    """`sheetgen check PATH --engine ENGINE`: (exit status, report, errors)."""
    finished = subprocess.run([sys.executable, "-m", "sheetgen", "check", str(path),
                               "--engine", engine], capture_output=True, text=True, timeout=600)
    return finished.returncode, finished.stdout, finished.stderr


def generate(path: Path, parameters: Parameters = Parameters()) -> Path:
    """The article's neuron's workbook for `parameters`, at `path`."""
    with open(path, "wb") as file:
        write_workbook(parameters, file)
    return path


TEST_GRID = Picture(grid=5)
"""The Boundary sheet of the tests' workbooks: a 5×5 grid proves every formula as a 30×30 one
would, and a test's few attempt rows are otherwise outnumbered by 900 points' maps."""


def write(path: Path, run: Run) -> Path:
    """The network workbook for `run`, at `path` (a Boundary sheet on `TEST_GRID`)."""
    with open(path, "wb") as file:
        write_network_workbook(run, file, picture=TEST_GRID)
    return path


def sheet_part(package: zipfile.ZipFile, sheet: str) -> str:
    """The part of the package that holds the worksheet named `sheet`, as the workbook's own
    relationships say (openpyxl writes their targets absolute, LibreOffice relative)."""
    workbook = package.read("xl/workbook.xml").decode()
    relation = re.search(f'<sheet [^>]*name="{re.escape(sheet)}"[^>]*r:id="([^"]+)"',
                         workbook).group(1)
    relations = package.read("xl/_rels/workbook.xml.rels").decode()
    target = next(re.search(r'Target="([^"]+)"', element).group(1)
                  for element in re.findall(r"<Relationship [^>]*>", relations)
                  if f'Id="{relation}"' in element)
    return target.removeprefix("/") if target.startswith("/") else f"xl/{target}"


def stored_rows(path: Path, sheet: str = "Training",
                formulas: bool = False) -> dict[int, dict[str, object]]:
    """A worksheet's cells by row number and column letter, as openpyxl reads them (with
    `data_only` unless `formulas`), but straight from sheetgen's XML: openpyxl takes most of a
    minute over a sheet of 100,000 rows, this a few seconds. `formulas` needs formulas
    written whole, as the neuron's sheets have them (a network's Training sheet shares them),
    and gives an array formula as its text."""
    with zipfile.ZipFile(path) as package:
        xml = package.read(sheet_part(package, sheet)).decode()
        strings = [unescape(re.sub("<[^>]*>", "", item)) for item in re.findall(
            r"<si>(.*?)</si>", package.read("xl/sharedStrings.xml").decode(), re.DOTALL)]
    rows = defaultdict(dict)
    for letters, row, kind, formula, value in STORED_CELL.findall(xml):
        if formulas and formula:
            value = "=" + unescape(formula)
        elif kind == "s":
            value = strings[int(value)]
        elif kind == "str":
            value = unescape(value)
        else:
            value = float(value) if "." in value or "e" in value.lower() else int(value)
        rows[int(row)][letters] = value
    return dict(rows)


def rewrite_sheet(source: Path, destination: Path, edit, sheets=("Training",)) -> Path:
    """Copy a workbook, passing the XML of its worksheets named `sheets` through `edit`."""
    with zipfile.ZipFile(source) as old, zipfile.ZipFile(destination, "w",
                                                         zipfile.ZIP_DEFLATED) as new:
        parts = {sheet_part(old, sheet) for sheet in sheets}
        for item in old.infolist():
            content = old.read(item)
            if item.filename in parts:
                content = edit(content.decode()).encode()
            new.writestr(item, content)
    return destination


def with_wrong_results(source: Path, destination: Path,
                       sheets: tuple[str, ...] = ("Training",)) -> Path:
    """The canary: every stored formula result of the worksheets named `sheets` replaced by
    12345 (texts included)."""
    def spoil(xml: str) -> str:
        spoiled, count = re.subn(r'( t="str")?>(<f[^>]*/>|<f[^>]*>[^<]*</f>)<v>[^<]*</v>',
                                 r">\2<v>12345</v>", xml)
        assert count > 0
        return spoiled
    return rewrite_sheet(source, destination, spoil, sheets)


def set_input_cells(source: Path, destination: Path, changes: dict[str, float]) -> Path:
    """Type new values into the named input cells, as a hand edit of the file would."""
    def edit(xml: str) -> str:
        for field, value in changes.items():
            entry = next(e for e in panel.INPUTS if e.field == field)
            xml, count = re.subn(f'(<c r="{entry.cell}"[^>]*>)<v>[^<]*</v>',
                                 f"\\1<v>{value!r}</v>", xml)
            assert count == 1, entry.cell
        return xml
    return rewrite_sheet(source, destination, edit)


def with_cell_text(source: Path, destination: Path, cell: str, old: str, new: str) -> Path:
    """Replace `old` by `new` inside one cell's XML, as a hand edit of the file would."""
    def edit(xml: str) -> str:
        match = re.search(f'<c r="{cell}"[^>]*>.*?</c>', xml)
        assert match and old in match.group(), f"{cell} does not hold {old}"
        return xml[:match.start()] + match.group().replace(old, new) + xml[match.end():]
    return rewrite_sheet(source, destination, edit)


def edit_in_libreoffice(source: Path, destination: Path, typed: dict[str, float | str],
                        scratch: Path, recalculate_hard: bool = False) -> Path:
    """Open `source` in a real LibreOffice, type each value (a number, or a formula's text)
    into its cell (`Sheet!A1`, or a Training cell), optionally recalculate every formula, and
    save as .xlsx. The test asks for the `libreoffice` fixture."""
    if not Path(UNO_PYTHON).is_file():
        pytest.fail(f"{UNO_PYTHON} is missing: LibreOffice's Python bridge needs it")
    script = Path(__file__).with_name("libreoffice_edit.py")
    profile = scratch / "edit-profile"
    cells = [f"{cell}={value if isinstance(value, str) else repr(value)}"
             for cell, value in typed.items()]
    cells += ["HARD"] if recalculate_hard else []
    subprocess.run([UNO_PYTHON, str(script), str(source), str(destination), profile.as_uri(),
                    *cells], check=True, timeout=300,
                   env={**os.environ, "HOME": str(scratch)})
    return destination


def xlsx_file(path: Path, sheets: dict[str, list[list]], stored: dict[str, str] = {}) -> Path:
    """A workbook with a sheet of these rows for each name, as openpyxl writes it: formulas
    without stored results, except the cells of the first sheet in `stored` (its value's
    text, by address), as a spreadsheet program stores them."""
    import openpyxl   # here, after conftest.py has imported sheetgen (see there)

    workbook = openpyxl.Workbook()
    workbook.remove(workbook.active)
    for name, rows in sheets.items():
        sheet = workbook.create_sheet(name)
        for row in rows:
            sheet.append(row)
    if not stored:
        workbook.save(path)
        return path
    plain = path.with_name(f"plain-{path.name}")
    workbook.save(plain)
    rewrite_sheet(plain, path, lambda xml: _with_results(xml, stored), (next(iter(sheets)),))
    plain.unlink()
    return path


def _with_results(xml: str, stored: dict[str, str]) -> str:
    for address, value in stored.items():
        xml = re.sub(rf'(<c r="{address}"[^>]*><f>[^<]*</f>)<v */>', rf"\g<1><v>{value}</v>", xml)
    return xml


def network_canary(path: Path, tmp_path: Path, run: Run) -> Path:
    """A network workbook's canary: every stored result of its Training, Charts and (where it
    has them) Optimizers, Boundary and Pictures sheets spoiled, and one of them proved
    spoiled."""
    sheets = ("Training", "Charts") + (("Optimizers",) if run.optimizer != "gd" else ()) + (
        ("Boundary",) if has_boundary(run) else ()) + (("Pictures",) if has_pictures(run) else ())
    spoiled = with_wrong_results(path, tmp_path / "spoiled.xlsx", sheets=sheets)
    assert read_network_workbook(spoiled, formulas=False).values.rows[1][
        describe(run).columns[3].letter] == 12345
    return spoiled


def assert_canaried_workbook_checked(run: Run, engine: str, tmp_path: Path) -> None:
    """`run`'s workbook, its stored results spoiled, passes `sheetgen check` in `engine` over
    every attempt (and every block of its Optimizers sheet, where it has one)."""
    spoiled = network_canary(write(tmp_path / "w.xlsx", run), tmp_path, run)
    assert_network_checked(spoiled, engine, run.attempts, run.optimizer != "gd")


def assert_network_checked(path: Path, engine: str, attempts: int, optimizers: bool) -> None:
    """`sheetgen check` passes the file in `engine`, over every attempt, and compares the
    Optimizers sheet's four blocks where there are."""
    result = api.check(path, engine)
    assert result.passed, result.report
    (found,) = result.engines
    assert found.training.compared_attempts == attempts
    blocks = [name for name, _ in found.sheets if name.startswith("Optimizers sheet")]
    assert len(blocks) == (4 if optimizers else 0), found.sheets


def assert_network_refused(args: list[str], message: str, tmp_path: Path, capsys) -> None:
    """`sheetgen network ARGS` refuses in one line on stderr, exit 2, no file (run from
    `tmp_path`); so does the API, with an `InputError` of the same line."""
    with pytest.raises(SystemExit) as exit_info:
        raise SystemExit(main(["network", *args, "-o", "never.xlsx"]))
    assert exit_info.value.code == 2
    error = capsys.readouterr().err
    assert error.endswith(f": error: {message}\n") and error.count("\n") == 1
    assert list(tmp_path.iterdir()) == []
    options = {a.removeprefix("--").replace("-", "_"): b for a, b in zip(args[::2], args[1::2])}
    with pytest.raises(InputError) as raised:
        api.network(tmp_path / "never.xlsx", **options)
    assert str(raised.value) == message
    assert list(tmp_path.iterdir()) == []
