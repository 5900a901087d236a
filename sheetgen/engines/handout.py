"""`sheetgen handout`: the workbook printed to PDF by headless LibreOffice, charts and all.

What prints is set by the workbook's own page setup (see layout.py): the Training sheet's
first attempts beside its four charts, the Sweep chart, and the Notes. The PDF replaces the
previous one only once it is whole.
"""

import re
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import BinaryIO

from sheetgen.engines.programs import LIBREOFFICE, EngineError
from sheetgen.writing import atomic


class HandoutError(Exception):
    """The handout could not be made; the message says why in one line."""


def write_handout(write: Callable[[BinaryIO], object], output: Path) -> int:
    """Print the workbook that `write` writes into a file to a PDF at `output`; return its
    number of pages."""
    atomic.check_writable(output)
    if LIBREOFFICE.path() is None:
        raise HandoutError(f"the handout is printed by LibreOffice, and {LIBREOFFICE.program} "
                           f"was not found (Debian package {LIBREOFFICE.package})")
    with tempfile.TemporaryDirectory(prefix="sheetgen-handout-") as scratch:
        workbook = Path(scratch) / output.with_suffix(".xlsx").name
        with open(workbook, "wb") as file:
            write(file)
        printed = Path(scratch) / "handout.pdf"
        try:
            LIBREOFFICE.convert(workbook, printed, "pdf:calc_pdf_Export")
        except EngineError as error:
            raise HandoutError(str(error)) from None
        content = printed.read_bytes()
    with atomic.replacing(output) as file:
        file.write(content)
    return page_count(content)


def page_count(pdf: bytes) -> int:
    """Pages in a PDF, from its page objects (LibreOffice writes them uncompressed)."""
    return len(re.findall(rb"/Type\s*/Page\b", pdf))
