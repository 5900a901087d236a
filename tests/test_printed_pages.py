"""Printed pages a class can read, measured on LibreOffice's PDF as a teacher would: every
word's box (about 1.2 times its type size) from `pdftotext -bbox`, the median at least
8.5 points and the 10th percentile at least 7 on every page of every handout; the weights
on paper; long tables cut to their first rows, the footer saying where the rest are; at most
four pages for the article and eight for a preset, the digits' too."""

import re
import statistics

import pytest
from helpers import poppler

from sheetgen.cli import main

pytestmark = pytest.mark.usefixtures("libreoffice")
READABLE_MEDIAN, READABLE_LOW = 8.5, 7.0


def printed_pages(path) -> list[tuple[str, list[float], str]]:
    """Each page's sheet (from its header), its words' box heights and its text."""
    pages = []
    for page in re.findall(r"<page.*?</page>", poppler("pdftotext", "-bbox", str(path), "-"),
                           re.S):
        words = re.findall(r'<word xMin="[^"]+" yMin="([^"]+)" xMax="[^"]+" yMax="([^"]+)">'
                           r"([^<]*)</word>", page)
        text = " ".join(word for _, _, word in words)
        sheet = re.search(r"— (\w+)", text)
        pages.append((sheet[1] if sheet else "", sorted(float(b) - float(a)
                                                        for a, b, _ in words), text))
    return pages


def assert_readable(pages, sheets: tuple[str, ...], holding: str = "") -> None:
    """The pages of `sheets` (those whose text holds `holding`) print readably."""
    for sheet, heights, text in pages:
        if sheet in sheets and holding in text:
            assert statistics.median(heights) >= READABLE_MEDIAN, (sheet, heights[:5])
            assert heights[len(heights) // 10] >= READABLE_LOW, sheet


def test_the_articles_table_and_notes_print_readably(tmp_path):
    path = tmp_path / "a.pdf"
    assert main(["handout", "--attempts", "200", "-o", str(path), "-q"]) == 0
    pages = printed_pages(path)
    assert_readable(pages, ("Training",), "Weight gradient")
    assert_readable(pages, ("Notes", "Sweep"))
    first = pages[0][2]
    assert "Weight gradient" in first and "Loss" in first and "Attempt" in first
    assert re.search(r"Attempts 1 to 4[0-9] of 200; all of them on screen", first)
    assert "Loss falling" in pages[1][2] and "Weight and bias" in pages[1][2]
    assert_readable(pages, ("Training",))   # the charts' page too, their type enlarged
    assert len(pages) == 4   # the table, its charts, the Sweep, the Notes


def test_a_networks_weights_print_beside_its_attempts(tmp_path):
    path = tmp_path / "x.pdf"
    assert main(["handout", "network", "--preset", "xor", "--attempts", "100", "-o", str(path),
                 "-q"]) == 0
    pages = printed_pages(path)
    assert_readable(pages, ("Training", "Data", "Notes"))
    training = " ".join(text for sheet, _, text in pages if sheet == "Training")
    for header in ("Attempt", "Loss", "w x1→h1", "∂w x1→h1", "b h1", "w h1→o1", "∂w h2→o1"):
        assert header in training, header
    assert "Sample 1" not in training   # the samples' passes stay on screen


def test_many_samples_print_their_first_rows_and_say_how_many_more(tmp_path):
    path = tmp_path / "i.pdf"
    assert main(["handout", "network", "--preset", "iris", "--attempts", "20", "-o", str(path),
                 "-q"]) == 0
    pages = printed_pages(path)
    data = [text for sheet, _, text in pages if sheet == "Data"]
    assert len(data) == 1 and re.search(r"Samples 1 to \d+ of 150; \d+ more samples, the "
                                        r"standardised inputs, the initial weights on screen",
                                        data[0])
    assert_readable(pages, ("Training", "Data"))


@pytest.mark.parametrize("preset", ["xor", "iris", "overfit", "circle", "spiral"])
def test_every_page_of_a_presets_handout_reads_and_it_has_at_most_eight(tmp_path, preset):
    path = tmp_path / f"{preset}.pdf"
    assert main(["handout", "network", "--preset", preset, "--attempts", "100", "-o",
                 str(path), "-q"]) == 0
    pages = printed_pages(path)
    assert len(pages) <= 8
    assert_readable(pages, tuple({sheet for sheet, _, _ in pages}))


def test_the_digits_handout_prints_one_confusion_matrix_and_at_most_eight_pages(tmp_path):
    """The preset of pictures (at 20 attempts, to be quick: the pages are the same): its
    Charts page leaves its confusion matrix to the screen, since the Pictures page prints
    its own, of the test samples too; every page reads."""
    path = tmp_path / "digits.pdf"
    assert main(["handout", "network", "--preset", "digits", "--attempts", "20", "-o",
                 str(path), "-q"]) == 0
    pages = printed_pages(path)
    assert len(pages) <= 8
    assert_readable(pages, tuple({sheet for sheet, _, _ in pages}))
    charts = [text for sheet, _, text in pages if sheet == "Charts"]
    assert len(charts) == 1 and "picked" not in charts[0]
    assert "Not printed: the confusion matrix, from cell C" in charts[0]
    assert sum("Confusion matrix" in text for sheet, _, text in pages
               if sheet == "Pictures") == 1


def test_a_digits_data_page_prints_its_first_pictures_readably(tmp_path):
    """Where the samples are pictures, the Data page prints them, at about half size: the
    first seven rows of eleven, each with its number and class, the page mostly ink where they
    are; the footer says what stays on screen. The table of 64 pixels a sample does not."""
    path = tmp_path / "d.pdf"
    assert main(["handout", "network", "--data", "digits", "--samples", "120", "--test-fraction",
                 "0.2", "--layers", "64,10", "--activation", "softmax", "--loss",
                 "cross-entropy", "--batch", "8", "--attempts", "10", "-o", str(path),
                 "-q"]) == 0
    pages = printed_pages(path)
    (number,) = [k for k, (sheet, _, _) in enumerate(pages, start=1) if sheet == "Data"]
    _, _, text = pages[number - 1]
    assert_readable(pages, ("Data",))
    labels = re.findall(r"\b(\d+): (\d)\b", text)
    assert [int(s) for s, _ in labels] == list(range(1, 78))
    assert "The training samples as pictures" in text and "x1" not in text.split()
    assert re.search(r"Pictures of samples 1 to 77 of 96; 19 more, the test samples(&apos;|') "
                     r"pictures, the samples(&apos;|') table, the initial weights on screen",
                     text)
    assert _ink(path, number) > 0.08


def _ink(path, page: int) -> float:
    """The share of a page's pixels, at 20 dots an inch in grey, darker than mid-grey."""
    prefix = path.with_name("ink")
    poppler("pdftoppm", "-f", str(page), "-l", str(page), "-r", "20", "-gray", "-singlefile",
            str(path), str(prefix))
    data = prefix.with_suffix(".pgm").read_bytes()
    width, height = map(int, data.split(b"\n")[1].split())
    pixels = data[-width * height:]
    return sum(pixel < 128 for pixel in pixels) / len(pixels)
