"""Write the training workbook: openpyxl's skeleton with the attempt rows streamed into it.

openpyxl cannot give a formula cell a stored result, and holding a million rows of cells in
memory is slow. So every attempt row is written as worksheet XML straight into the zip: each
formula with the result the reference computed for it, in constant memory. Readers that do
not calculate (pandas, file previewers) then see the right numbers, and spreadsheet programs
still recalculate the live formulas.
"""

import contextlib
import io
from contextlib import nullcontext
import queue
import re
import threading
import zipfile
from xml.sax.saxutils import escape
from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace
from typing import BinaryIO

import openpyxl
from openpyxl import Workbook
from openpyxl.xml.functions import tostring

from sheetgen.maths.neuron import Parameters, Summary, summarize, train
from sheetgen.sheets import panel, sweep
from sheetgen.sheets.columns import COLUMNS, SHEET_NAME, NeuronRuns, last_row
from sheetgen.sheets.exercise import Exercise, Guard
from sheetgen.writing import excel_parts
from sheetgen.writing.exercise_guard import WorkbookGuard, defined_areas
from sheetgen.writing.exercise_layout import exercised, without_results
from sheetgen.writing.layout import build_skeleton
from sheetgen.writing.column_heads import ColumnHeads
from sheetgen.writing.parallel import formatted_chunks
from sheetgen.writing.rows import SheetRows, cell_xml
from sheetgen.writing.sheet_parts import FIXED_TIME, Skeleton

CORE_PROPERTIES_PART = "docProps/core.xml"
WORKSHEETS = "xl/worksheets/sheet"
ZIP_TIME = (1980, 1, 1, 0, 0, 0)
COMPRESS_LEVEL = 1

ProgressCallback = Callable[[int, int], None]
"""Told (rows written, rows in all) as the rows stream out."""


def write_workbook(parameters: Parameters, target: BinaryIO,
                   progress: ProgressCallback | None = None,
                   exercise: Exercise | None = None) -> Summary:
    """Write the whole workbook to a seekable binary file; return how the run ended. An
    `exercise` leaves its blanks empty, and no formula a stored result (see
    `exercise_layout`); it has no Sweep sheet, whose block at the article's rate would
    train the same neuron, answers and all."""
    skeleton = build_skeleton(parameters, exercise)
    training_sheet = skeleton.workbook.worksheets[0]
    # The summary sits above the rows it summarizes, so the run is computed once ahead.
    summary = summarize(train(parameters), parameters.loss_threshold)
    training = SheetRows(COLUMNS, skeleton.training_styles, NeuronRuns((parameters,)),
                         {"input": parameters.input, "target": parameters.target},
                         panel_cells(skeleton, panel.NEURON, vars(parameters), summary,
                                     last_row(parameters.attempts)))
    if exercise is not None:
        training = exercised(training, skeleton.workbook, training_sheet, exercise)
    streamed = {training_sheet: StreamedSheet(
        training, f"Q{max(last_row(training.attempts), panel.LAST_PANEL_ROW)}",
        skeleton.heads[training_sheet], progress)}
    exact = {training_sheet: {panel.INPUTS[0].cell: parameters.learning_rate}}
    if exercise is None:
        sweep_sheet = skeleton.workbook[sweep.SWEEP_SHEET_NAME]
        sweep_rows = SheetRows(sweep.COLUMNS, skeleton.sweep_styles,
                               NeuronRuns(tuple(sweep.sweep_runs(parameters))), {}, {})
        streamed[sweep_sheet] = StreamedSheet(
            sweep_rows, f"{sweep.COLUMNS[-1].letter}{last_row(sweep_rows.attempts)}",
            skeleton.heads[sweep_sheet])
        exact[sweep_sheet] = {sweep.rate_cell(block).replace("$", ""): run.learning_rate
                              for block, run in enumerate(sweep_rows.source.runs)}
    write_package(skeleton.workbook, target, streamed, exact,
                  results=exercise is None or exercise.answers, guard=training.guard)
    return summary


@dataclass(frozen=True)
class StreamedSheet:
    """A worksheet whose attempt rows are streamed in after its header rows."""

    rows: SheetRows
    last_cell: str
    heads: ColumnHeads
    progress: ProgressCallback | None = None


class LxmlError(RuntimeError):
    """openpyxl serialises with lxml, which would change the bytes (see sheetgen/__init__.py)."""


def require_standard_xml() -> None:
    """Refuse to write when openpyxl serialises with lxml: it was imported before sheetgen, in
    a program where lxml is installed and OPENPYXL_LXML is not False."""
    if openpyxl.LXML:
        raise LxmlError("openpyxl was imported before sheetgen and writes with lxml, which "
                        "changes the workbook's bytes: import sheetgen first, or set "
                        "OPENPYXL_LXML=False")


def write_package(workbook: Workbook, target: BinaryIO, streamed: dict[object, StreamedSheet],
                  exact: dict[object, dict[str, float]],
                  late: dict[object, Callable[[bytes], bytes]] | None = None,
                  results: bool = True, guard: Guard | None = None,
                  first_chunks: Iterator[bytes] | None = None) -> None:
    """Save openpyxl's workbook into `target`, streaming rows into the worksheets given.

    Each is given as the workbook's own worksheet (or chart) object: openpyxl names its part
    as it saves it, from where it stands in the workbook. `exact` gives, by worksheet and
    cell, numbers to write in full: openpyxl keeps 16
    significant digits, one short of what some doubles need to come back unchanged (or a
    function that gives them, called when the sheet's part is reached). `late`
    edits parts that are written after the streamed ones (the package's order puts the first
    worksheet first and the charts last) with what only the streaming found out. Without
    `results`, an exercise's, no formula keeps its stored result. An exercise's `guard`
    reaches every formula that reads what waits for its blanks (see `exercise_guard`): the
    parts that are not streamed are held back until every worksheet's formulas are known.
    The first streamed sheet's rows start to be computed before openpyxl saves the rest,
    unless the caller has started them already (`first_chunks`, see `formatted_chunks`).
    """
    require_standard_xml()
    waiting = None if guard is None else WorkbookGuard(
        SHEET_NAME, guard, defined_areas({name: defined.attr_text for name, defined
                                          in workbook.defined_names.items()}))
    streamed = {thing: _guarded(sheet, waiting) for thing, sheet in streamed.items()}
    first = next(sheet for sheet in workbook.worksheets if sheet in streamed)
    started = nullcontext(first_chunks) if first_chunks is not None else \
        formatted_chunks(streamed[first].rows)
    with started as first_chunks:
        packed = io.BytesIO()
        workbook.save(packed)
        first_part = first.path.removeprefix("/")
        titles = {sheet.path.removeprefix("/"): sheet.title for sheet in workbook.worksheets}
        exact = _with_typed_numbers(workbook, exact)
        streamed, exact, late = (_by_part(objects or {}) for objects in (streamed, exact, late))
        strings = excel_parts.SharedStrings()
        with zipfile.ZipFile(packed) as source, \
                zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as package:
            parts = _Parts(package, waiting)
            for part in source.infolist():
                name = part.filename
                content = _finished(name, source.read(part), streamed.get(name), exact, late,
                                    strings, parts, results)
                if name == first_part:
                    _stream_sheet(package, name, content, streamed[name], first_chunks,
                                  strings, results)
                elif name in streamed:
                    with formatted_chunks(streamed[name].rows) as chunks:
                        _stream_sheet(package, name, content, streamed[name], chunks, strings,
                                      results)
                elif name == CORE_PROPERTIES_PART:
                    # openpyxl stamps the time of saving; put the fixed time back.
                    workbook.properties.modified = FIXED_TIME
                    parts.put(name, tostring(workbook.properties.to_tree()))
                else:
                    parts.put(name, content)
            if waiting is not None:
                _write_guarded(package, parts.held, titles, waiting)


def _finished(name: str, content: bytes, streamed: StreamedSheet | None, exact: dict,
              late: dict, strings: excel_parts.SharedStrings, parts: "_Parts",
              results: bool) -> bytes:
    """A part as openpyxl saved it, made sheetgen's (see `_prepared`): a streamed sheet's
    headers in, what only the rows told written, and without results where asked."""
    if streamed is not None:
        content = streamed.heads.into(content)
    content = _prepared(name, content, exact, strings, parts)
    if name in late:
        content = late[name](content)
    if not results and name.startswith(WORKSHEETS):
        content = without_results(content)
    return content


def _guarded(sheet: StreamedSheet, waiting: WorkbookGuard | None) -> StreamedSheet:
    """A streamed sheet whose leading cells are guarded, where an exercise's guard waits."""
    if waiting is None:
        return sheet
    return replace(sheet, rows=replace(sheet.rows, leading_cells=waiting.leading_cells(
        sheet.rows.leading_cells)))


class _Parts:
    """Writes a package's parts, or, for an exercise's guard, holds them back until every
    worksheet's formulas are known."""

    def __init__(self, package: zipfile.ZipFile, waiting: WorkbookGuard | None):
        self.package, self.waiting = package, waiting
        self.held: list[tuple[str, bytes]] = []

    def put(self, name: str, content: bytes) -> None:
        if self.waiting is None:
            self.package.writestr(_fixed_info(name), content)
        else:
            self.held.append((name, content))

    def has(self, name: str) -> bool:
        return name in self.package.namelist() or any(held == name for held, _ in self.held)


def _prepared(name: str, content: bytes, exact: dict, strings: excel_parts.SharedStrings,
              parts: _Parts) -> bytes:
    """A part as openpyxl saved it, made sheetgen's: a worksheet's numbers in full and its
    texts shared, the styles' fonts in order, the shared strings declared (and written, once
    every worksheet is in: openpyxl packs them first)."""
    if name.startswith(WORKSHEETS):
        values = exact.get(name, {})
        # A sheet whose results are known only once the streamed rows are (they come first
        # in the package) gives them as a function.
        values = values() if callable(values) else values
        return strings.share(_exact_numbers(_tidy(content), values))
    if name == excel_parts.STYLES_PART:
        return excel_parts.fonts_in_order(content)
    if name in (excel_parts.WORKBOOK_RELATIONS_PART, excel_parts.CONTENT_TYPES_PART):
        if not parts.has(excel_parts.SHARED_STRINGS_PART):
            parts.put(excel_parts.SHARED_STRINGS_PART, strings.part())
        return excel_parts.declare_shared_strings(name, content)
    return content


def _write_guarded(package: zipfile.ZipFile, held: list[tuple[str, bytes]],
                   titles: dict[str, str], waiting: WorkbookGuard) -> None:
    """Write the parts held back, each worksheet's waiting formulas guarded."""
    guarded = waiting.worksheets({titles[name]: content for name, content in held
                                  if name in titles})
    for name, content in held:
        package.writestr(_fixed_info(name), guarded[titles[name]] if name in titles else content)


def _with_typed_numbers(workbook: Workbook, exact: dict[object, object]
                        ) -> dict[object, object]:
    """`exact`, and every number the skeleton's cells hold, each in full: openpyxl writes
    16 significant digits, and a formula that copies the number would store the double
    itself, which some numbers need 17 to give back (a grid's 1.1724137931034484)."""
    merged = dict(exact)
    for sheet in workbook.worksheets:
        typed = {cell.coordinate: cell.value for cell in sheet._cells.values()
                 if isinstance(cell.value, float)}
        given = exact.get(sheet, {})
        if callable(given):
            merged[sheet] = lambda given=given, typed=typed: {**typed, **given()}
        elif typed:
            merged[sheet] = {**typed, **given}
    return merged


def _by_part(objects: dict[object, object]) -> dict[str, object]:
    """The same values, by the part of the package that each object was saved as."""
    return {thing.path.removeprefix("/"): value for thing, value in objects.items()}


def panel_cells(skeleton: Skeleton, the_panel: panel.Panel, inputs: dict[str, object],
                summary: tuple, end: int) -> dict[int, str]:
    """Column A below A2: labelled inputs (their values by field), then the summary with the
    reference's results."""
    column = panel.PANEL_COLUMN
    cells = {}
    for entry in the_panel.inputs[1:]:   # A1 and A2, the article's own, are in the skeleton
        cells[entry.row - 1] = cell_xml(f"{column}{entry.row - 1}", skeleton.label_style,
                                        entry.label)
        cells[entry.row] = cell_xml(entry.cell, skeleton.input_style, inputs[entry.field])
    title_row = the_panel.summary_title_row
    if title_row is not None:
        cells[title_row] = cell_xml(f"{column}{title_row}", skeleton.title_style, "Summary")
    for result in the_panel.summary:
        cells[result.row - 1] = cell_xml(f"{column}{result.row - 1}", skeleton.label_style,
                                         result.label)
        cells[result.row] = cell_xml(result.cell, skeleton.result_styles[result.row],
                                     result.shown(summary), result.formula_for(end),
                                     result.array)
    return cells


def _fixed_info(name: str) -> zipfile.ZipInfo:
    """A zip entry with nothing of the moment or the machine in it, fast to deflate."""
    info = zipfile.ZipInfo(name, ZIP_TIME)
    info.create_system = 3
    info.external_attr = 0o644 << 16
    info.compress_type = zipfile.ZIP_DEFLATED
    # Level 1 deflates the sheet four times faster than the default for a file 20% larger.
    # ZipFile.open() takes the level only from the entry; Python 3.13 renamed the attribute.
    level_attribute = "compress_level" if hasattr(info, "compress_level") else "_compresslevel"
    setattr(info, level_attribute, COMPRESS_LEVEL)
    return info


_VALUED_CELL = re.compile(rb'<c r="([A-Z]+[0-9]+)"([^>]*)>((?:<f>[^<]*</f>)?)<v(?:>[^<]*</v>| ?/>)')


def _exact_numbers(worksheet_xml: bytes, exact: dict[str, object]) -> bytes:
    """Each cell's number in full, or a formula's result: a number, or a text (`t="str"`).
    One pass over the sheet, for a Data sheet holds thousands of such cells."""
    if not exact:
        return worksheet_xml
    found = set()

    def put(cell: re.Match) -> bytes:
        address = cell.group(1).decode()
        if address not in exact:
            return cell.group(0)
        found.add(address)
        value = exact[address]
        kind = b' t="str"' if isinstance(value, str) else b""
        shown = (escape(value) if isinstance(value, str) else repr(value)).encode()
        return (b'<c r="' + cell.group(1) + b'"' + cell.group(2) + kind + b">" + cell.group(3)
                + b"<v>" + shown + b"</v>")
    worksheet_xml = _VALUED_CELL.sub(put, worksheet_xml)
    missing = set(exact) - found
    assert not missing, f"no value in {sorted(missing)[:3]}"
    return worksheet_xml


def _stream_sheet(package: zipfile.ZipFile, name: str, skeleton_xml: bytes,
                  sheet: StreamedSheet, chunks: Iterator[bytes],
                  strings: excel_parts.SharedStrings, results: bool = True) -> None:
    """Copy a skeleton worksheet, with the streamed rows' `chunks` inserted after its header
    rows (without their formulas' results, where not `results`), their leading cells' texts
    shared."""
    rows = sheet.rows
    head, tail = skeleton_xml.split(b"</sheetData>")
    head = re.sub(rb'<dimension ref="[^"]*"', f'<dimension ref="A1:{sheet.last_cell}"'.encode(),
                  head)
    needs_zip64 = rows.attempts * rows.largest_row_bytes() > zipfile.ZIP64_LIMIT
    with package.open(_fixed_info(name), "w", force_zip64=needs_zip64) as entry, \
            _writing_in_background(entry) as out:
        out.write(head)
        for number, chunk in enumerate(chunks):
            if rows.has_leading_cells(number):
                chunk = strings.share(chunk)
            out.write(chunk if results else without_results(chunk))
            if sheet.progress:
                done = min((number + 1) * rows.rows_per_chunk, rows.attempts)
                sheet.progress(done, rows.attempts)
        out.write(b"</sheetData>" + tail)


@contextlib.contextmanager
def _writing_in_background(stream: BinaryIO, depth: int = 4) -> Iterator[BinaryIO]:
    """Hand chunks to a second thread that writes them to `stream`.

    zlib lets go of the GIL while it deflates, so one chunk is compressed while the next is
    formatted: on two cores this takes about a sixth off the time of a large sheet. At most
    `depth` chunks wait, which keeps memory bounded.
    """
    chunks: queue.Queue[bytes | None] = queue.Queue(maxsize=depth)
    failures: list[BaseException] = []

    def drain() -> None:
        while (chunk := chunks.get()) is not None:
            if not failures:
                try:
                    stream.write(chunk)
                except BaseException as error:  # handed to the main thread below
                    failures.append(error)

    class Writer:
        def write(self, chunk: bytes) -> None:
            if failures:
                raise failures[0]
            chunks.put(chunk)

    writer = threading.Thread(target=drain, name="sheetgen-deflate", daemon=True)
    writer.start()
    try:
        yield Writer()
    finally:
        chunks.put(None)
        writer.join()
    if failures:
        raise failures[0]


def _tidy(worksheet_xml: bytes) -> bytes:
    """Drop the empty header and footer elements openpyxl writes, which Gnumeric warns about."""
    return re.sub(rb"<(even|first)(Header|Footer) ?/>", b"", worksheet_xml)
