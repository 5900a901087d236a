"""sheetgen: spreadsheets in which a neuron, or a small network, learns live.

    import sheetgen
    summary = sheetgen.network(preset="xor")   # writes output/xor_training.xlsx
    sheetgen.check(summary.path).passed

openpyxl serialises its XML with lxml when lxml is installed, and with the standard library
otherwise, and the two differ in the bytes (where namespaces are declared, `<a/>` against
`<a />`). So that the same options give the same bytes on every machine, sheetgen makes
openpyxl use the standard library always. The choice is made when openpyxl is first imported,
so it is set here, before any module of sheetgen imports it; `writing.workbook` refuses to write
if openpyxl was imported earlier with lxml (see `require_standard_xml`).
"""

import os

os.environ["OPENPYXL_LXML"] = "False"

from sheetgen.api import check, network, neuron  # noqa: E402  (after the setting above)
from sheetgen.engines.check import CannotCheck  # noqa: E402
from sheetgen.errors import InputError  # noqa: E402

__all__ = ["CannotCheck", "InputError", "check", "network", "neuron"]
