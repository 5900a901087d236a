"""Edit a workbook in LibreOffice as a person would: open it, type a number, save it.

Run by Debian's /usr/bin/python3, which can import LibreOffice's `uno`:
    libreoffice_edit.py SOURCE DESTINATION PROFILE_URL [SHEET!]CELL=VALUE …
A cell without a sheet is on the Training sheet; a VALUE that starts with = is typed as a
formula; the word HARD in place of an assignment makes
LibreOffice recalculate every formula (Data → Calculate → Recalculate Hard) before saving. The
profile is a fresh one: LibreOffice as it
comes, with no forced recalculation.
"""

import os
import sys

import uno
from com.sun.star.beans import PropertyValue

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "sheetgen", "engines"))
from office_bridge import running_office  # noqa: E402  (sheetgen's own, for this Python)


def property_value(name, value):
    prop = PropertyValue()
    prop.Name, prop.Value = name, value
    return prop


def session(profile_url, name="edit"):
    """A headless LibreOffice on the profile, as a person's would be, and its desktop: shut
    down again afterwards, whatever happens."""
    return running_office(profile_url, f"sheetgen-{name}-{os.getpid()}")


def opened(desktop, path):
    """The workbook at `path`, loaded hidden, as a person's LibreOffice opens it."""
    return desktop.loadComponentFromURL(uno.systemPathToFileUrl(path), "_blank", 0,
                                        (property_value("Hidden", True),))


def main(source, destination, profile_url, *typed):
    with session(profile_url) as desktop:
        document = opened(desktop, source)
        for assignment in typed:
            if assignment == "HARD":
                document.calculateAll()
                continue
            cell, value = assignment.split("=", 1)
            sheet_name, _, cell = cell.rpartition("!")
            sheet = document.Sheets.getByName(sheet_name or "Training")
            if value.startswith("="):
                # The API's formulas separate arguments with semicolons, as ODF's do.
                sheet.getCellRangeByName(cell).setFormula(value.replace(",", ";"))
            else:
                sheet.getCellRangeByName(cell).setValue(float(value))
        document.storeToURL(uno.systemPathToFileUrl(destination),
                            (property_value("FilterName", "Calc MS Excel 2007 XML"),))
        document.close(True)


if __name__ == "__main__":
    main(*sys.argv[1:])
