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

The API is imported when it is first used, not with the package, so that the command can
import openpyxl its own way first (see `cli/imports.py`).
"""

import importlib
import os

os.environ["OPENPYXL_LXML"] = "False"

_MODULES = {"check": "sheetgen.api", "network": "sheetgen.api", "neuron": "sheetgen.api",
            "exercise": "sheetgen.api", "network_exercise": "sheetgen.api",
            "grade": "sheetgen.api", "grade_class": "sheetgen.api",
            "CannotCheck": "sheetgen.engines.check",
            "CannotGrade": "sheetgen.engines.grading", "InputError": "sheetgen.errors"}
"""Each public name by the module that defines it."""

__all__ = sorted(_MODULES)


def __dir__() -> list[str]:
    return sorted({*globals(), *_MODULES})


def __getattr__(name: str) -> object:
    if name not in _MODULES:
        raise AttributeError(f"module 'sheetgen' has no attribute {name!r}")
    value = getattr(importlib.import_module(_MODULES[name]), name)
    globals()[name] = value
    return value
