"""The manual and the front page: the column tables in docs/ are the ones generated from the
descriptions of the columns, the site builds with `mkdocs build --strict` (a broken link, a
missing page or a missing anchor fails it), and README.md stays a front page of at most 250
lines whose links resolve."""

import os
import re
import subprocess
import sys
import unicodedata
from pathlib import Path

import pytest
from helpers import require_module

from sheetgen.sheets.docs import (
    column_table,
    held_out_column_table,
    iris_column_table,
    regularised_column_table,
    xor_column_table,
)

ROOT = Path(__file__).parent.parent
README = ROOT / "README.md"
DOCS = ROOT / "docs"
README_LINES = 250
TEST_COMMAND = "bash .ci/install-engines && pip install -e '.[test]' && python -m pytest"
INSTALL_COMMAND = "pip install . && sheetgen"
LINK = re.compile(r"\]\(([^)\s]+)\)")


@pytest.mark.parametrize("marker, page, table", [
    ("columns", "workbooks/neuron.md", column_table),
    ("xor-columns", "workbooks/networks.md", xor_column_table),
    ("iris-columns", "workbooks/classification.md", iris_column_table),
    ("regularised-columns", "workbooks/generalisation.md", regularised_column_table),
    ("test-set-columns", "workbooks/generalisation.md", held_out_column_table)])
def test_column_table_is_generated_from_the_columns(marker, page, table):
    text = (DOCS / page).read_text()
    found = re.search(f"<!-- {marker}:start -->\n(.*?)\n<!-- {marker}:end -->", text, re.S)
    assert found, f"docs/{page} lost its {marker} table markers"
    assert found.group(1) == table(), (f"docs/{page}'s {marker} table is out of date: paste "
                                       "`python -m sheetgen.sheets.docs`'s")


def test_readme_is_a_front_page():
    lines = README.read_text().splitlines()
    assert len(lines) <= README_LINES, (f"README.md has {len(lines)} lines; the front page "
                                        f"keeps to {README_LINES}, the rest goes into docs/")


def test_readme_keeps_its_two_commands_word_for_word():
    """CI runs the test command as README.md gives it (.ci/run)."""
    blocks = re.findall(r"```sh\n(.*?)\n```", README.read_text(), re.S)
    assert INSTALL_COMMAND in blocks and TEST_COMMAND in blocks
    assert TEST_COMMAND in (ROOT / ".ci" / "run").read_text().splitlines()


def test_readme_links_resolve():
    """Every relative link of README.md names a file of the repository, and a link into a
    manual page with an anchor names one of that page's headings."""
    links = [link for link in LINK.findall(README.read_text())
             if not re.match(r"[a-z]+:", link)]
    assert any(link.startswith("docs/") for link in links)
    for link in links:
        path, _, anchor = link.partition("#")
        target = ROOT / path
        assert target.is_file(), f"README.md links to {link}, which is not a file"
        if anchor and target.suffix == ".md":
            assert anchor in _anchors(target), f"README.md links to {link}: no such heading"


def test_the_site_builds_strictly(tmp_path):
    """`mkdocs build --strict`: any warning (a broken link or anchor, a page left out of the
    nav, a docstring mkdocstrings cannot read) fails the build."""
    for module, package in (("mkdocs", "mkdocs"), ("material", "mkdocs-material"),
                            ("mkdocstrings_handlers.python", "mkdocstrings[python]")):
        require_module(module, package)
    site = tmp_path / "site"
    built = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", str(site),
         "--config-file", str(ROOT / "mkdocs.yml")],
        cwd=ROOT, capture_output=True, text=True, timeout=300,
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1"})
    assert built.returncode == 0, built.stdout + built.stderr
    pages = {path.relative_to(DOCS).with_suffix("") for path in DOCS.rglob("*.md")}
    for page in pages:
        html = site / page / "index.html" if page.name != "index" else \
            site / page.parent / "index.html"
        assert html.is_file(), f"docs/{page}.md was not built"
    api = (site / "api" / "index.html").read_text()
    for name in ("network_exercise_handout", "RunSummary", "CheckResult", "InputError",
                 "grade_class"):
        assert 'id="sheetgen.' in api and name in api, f"the API page lost {name}"
    assert "_network_plan" not in api and "_Plan" not in api
    assert (site / "images" / "circle_boundary.png").is_file()


def _anchors(page: Path) -> set[str]:
    """The ids Python-Markdown's toc extension gives the page's headings."""
    return {_slug(heading) for heading in
            re.findall(r"^#+ (.+?)\s*$", page.read_text(), re.M)}


def _slug(text: str) -> str:
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    text = re.sub(r"[^\w\s-]", "", text.replace("`", "")).strip().lower()
    return re.sub(r"[-\s]+", "-", text)
