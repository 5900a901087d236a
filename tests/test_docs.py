"""README.md's column table is the one generated from sheetgen/columns.py."""

import re
from pathlib import Path

from sheetgen.sheets.docs import column_table

README = Path(__file__).parent.parent / "README.md"


def test_readme_column_table_is_generated_from_the_columns():
    text = README.read_text()
    table = re.search(r"<!-- columns:start -->\n(.*?)\n<!-- columns:end -->", text, re.S)
    assert table, "README.md lost its column table markers"
    assert table.group(1) == column_table()
