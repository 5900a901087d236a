"""Imported by pytest before any test module: sheetgen first, so that openpyxl, which test
modules import too, serialises without lxml even where lxml is installed (see
sheetgen/__init__.py).

Then the engine fixtures. A test that runs LibreOffice or Gnumeric asks for `libreoffice`,
`gnumeric` or `engine` (each in turn), and is marked `engines` for that: the fast loop,
`python -m pytest -m "not engines"`, leaves it out. LibreOffice stays up for the session, and
sheetgen's own calls (`sheetgen check`, the handout) in the tests' process use it too
(`resident_libreoffice`).
"""

import sheetgen  # noqa: F401  (first, before anything imports openpyxl)

import pytest
from helpers import require_engine
from resident_libreoffice import resident

from sheetgen.engines import handout, programs

ENGINE_NAMES = ("libreoffice", "gnumeric")
ENGINE_FIXTURES = {"engine", *ENGINE_NAMES}


@pytest.fixture(scope="session", autouse=True)
def resident_libreoffice():
    """One LibreOffice for the session, in place of sheetgen's, started at its first file."""
    office = resident()
    with pytest.MonkeyPatch.context() as patch:
        patch.setitem(programs.ENGINES, office.name, office)
        patch.setattr(handout, "LIBREOFFICE", office)
        yield office
    office.stop()


@pytest.fixture(scope="session")
def libreoffice(resident_libreoffice):
    require_engine("libreoffice")
    return resident_libreoffice


@pytest.fixture(scope="session")
def gnumeric():
    return require_engine("gnumeric")


@pytest.fixture(params=ENGINE_NAMES)
def engine(request):
    """LibreOffice, then Gnumeric."""
    return request.getfixturevalue(request.param)


def pytest_collection_modifyitems(items):
    for item in items:
        if ENGINE_FIXTURES & set(getattr(item, "fixturenames", ())):
            item.add_marker(pytest.mark.engines)
