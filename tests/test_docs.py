"""README.md's column tables are the ones generated from the descriptions of the columns."""

import re
from pathlib import Path

import pytest

from sheetgen.sheets.docs import (
    column_table,
    iris_column_table,
    regularised_column_table,
    held_out_column_table,
    xor_column_table,
)

README = Path(__file__).parent.parent / "README.md"


@pytest.mark.parametrize("marker, table", [("columns", column_table),
                                           ("xor-columns", xor_column_table),
                                           ("iris-columns", iris_column_table),
                                           ("regularised-columns", regularised_column_table),
                                           ("test-set-columns", held_out_column_table)])
def test_readme_column_table_is_generated_from_the_columns(marker, table):
    text = README.read_text()
    found = re.search(f"<!-- {marker}:start -->\n(.*?)\n<!-- {marker}:end -->", text, re.S)
    assert found, f"README.md lost its {marker} table markers"
    assert found.group(1) == table()
