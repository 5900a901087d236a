"""Imported by pytest before any test module: sheetgen first, so that openpyxl, which test
modules import too, serialises without lxml even where lxml is installed (see
sheetgen/__init__.py)."""

import sheetgen  # noqa: F401
