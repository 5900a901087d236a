"""Write the training workbook: openpyxl's skeleton with the attempt rows streamed into it.

openpyxl cannot give a formula cell a stored result, and holding a million rows of cells in
memory is slow. So every attempt row is written as worksheet XML straight into the zip: each
formula with the result the reference computed for it, in constant memory. Readers that do
not calculate (pandas, file previewers) then see the right numbers, and spreadsheet programs
still recalculate the live formulas.
"""

import contextlib
import io
import queue
import re
import threading
import zipfile
from collections.abc import Callable, Iterator
from typing import BinaryIO
from xml.sax.saxutils import escape

from sheetgen.columns import COLUMNS, FIRST_ROW, last_row
from openpyxl.xml.functions import tostring

from sheetgen.layout import FIXED_TIME, build_skeleton, data_style_ids
from sheetgen.reference import Attempt, Parameters, train

SHEET_PART = "xl/worksheets/sheet1.xml"
CORE_PROPERTIES_PART = "docProps/core.xml"
ZIP_TIME = (1980, 1, 1, 0, 0, 0)
COMPRESS_LEVEL = 1
ROWS_PER_WRITE = 2000
LARGEST_ROW_BYTES = 1400
"""A generous bound on one row's XML, to decide whether the sheet part needs ZIP64."""

ProgressCallback = Callable[[int, int], None]
"""Told (rows written, rows in all) as the rows stream out."""


def write_workbook(parameters: Parameters, target: BinaryIO,
                   progress: ProgressCallback | None = None) -> Attempt:
    """Write the whole workbook to a seekable binary file; return the last attempt."""
    skeleton = build_skeleton(parameters)
    style_ids = data_style_ids(skeleton.active)
    packed = io.BytesIO()
    skeleton.save(packed)
    with zipfile.ZipFile(packed) as source, \
            zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as package:
        for part in source.infolist():
            content = source.read(part)
            if part.filename == SHEET_PART:
                final = _stream_sheet(package, content, parameters, style_ids, progress)
            elif part.filename == CORE_PROPERTIES_PART:
                # openpyxl stamps the time of saving; put the fixed time back.
                skeleton.properties.modified = FIXED_TIME
                package.writestr(_fixed_info(part.filename),
                                 tostring(skeleton.properties.to_tree()))
            else:
                package.writestr(_fixed_info(part.filename), content)
    return final


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


def _stream_sheet(package: zipfile.ZipFile, skeleton_xml: bytes, parameters: Parameters,
                  style_ids: dict[str, int], progress: ProgressCallback | None) -> Attempt:
    """Copy the skeleton's worksheet, with the attempt rows inserted after its header rows."""
    head, tail = _tidy(skeleton_xml).split(b"</sheetData>")
    dimension = f'<dimension ref="A1:Q{last_row(parameters.attempts)}"'.encode()
    head = re.sub(rb'<dimension ref="[^"]*"', dimension, head)
    constants = {"input": parameters.input, "target": parameters.target}
    first_template = _row_template(style_ids, FIRST_ROW, constants)
    later_template = _row_template(style_ids, FIRST_ROW + 1, constants)
    needs_zip64 = parameters.attempts * LARGEST_ROW_BYTES > zipfile.ZIP64_LIMIT
    with package.open(_fixed_info(SHEET_PART), "w", force_zip64=needs_zip64) as entry, \
            _writing_in_background(entry) as sheet:
        sheet.write(head)
        batch = []
        for row, attempt in enumerate(train(parameters), start=FIRST_ROW):
            template = first_template if row == FIRST_ROW else later_template
            batch.append(template.format(row, row - 1, *attempt))
            if len(batch) == ROWS_PER_WRITE:
                sheet.write("".join(batch).encode())
                batch.clear()
                if progress:
                    progress(attempt.number, parameters.attempts)
        sheet.write("".join(batch).encode())
        sheet.write(b"</sheetData>" + tail)
    if progress:
        progress(parameters.attempts, parameters.attempts)
    return attempt


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


def _row_template(style_ids: dict[str, int], row: int, constants: dict[str, float]) -> str:
    """One row of worksheet XML as a `str.format` template.

    Field 0 is the row number, field 1 the row above, and fields from 2 on are the
    reference's `Attempt`, so a row is written with a single `format` call. Fields that are
    the same in every row (`constants`) are written into the template once: turning floats
    into text is most of the time it takes to write a large sheet.
    """
    cells = []
    for col in COLUMNS:
        ref = f"{col.letter}{{0}}"
        if col.field in constants:
            value = repr(constants[col.field])
        else:
            value = f"{{{2 + Attempt._fields.index(col.field)}!r}}"
        formula = col.template(row)
        if formula is not None:
            text = escape(formula.removeprefix("=")).format(row="{0}", prev="{1}")
            body = f"<f>{text}</f><v>{value}</v>"
        else:
            body = f"<v>{value}</v>"
        cells.append(f'<c r="{ref}" s="{style_ids[col.letter]}">{body}</c>')
    return '<row r="{0}">' + "".join(cells) + "</row>"
