"""The command imports openpyxl without numpy.

openpyxl imports numpy, where it is installed, only so that numpy's numbers may be cell
values; sheetgen gives it Python's own. numpy adds 14 MB to the command's resident memory,
and the forked helper that formats rows (`writing/parallel.py`) holds those pages as well: a
sixth of the process tree that writes the iris sheet. The command owns its process, so it
imports openpyxl with numpy hidden, and numpy is importable again after. The Python API, which
shares its program with the caller's code, leaves openpyxl as it finds it.
"""

import sys


def import_openpyxl_without_numpy() -> None:
    if "openpyxl" in sys.modules or "numpy" in sys.modules:
        return
    sys.modules["numpy"] = None   # `import numpy` fails, as where numpy is not installed
    try:
        import openpyxl  # noqa: F401
    finally:
        del sys.modules["numpy"]
