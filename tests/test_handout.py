"""`sheetgen handout`: the workbook printed to PDF by LibreOffice, checked with poppler's tools."""

from pathlib import Path

import pytest
from helpers import pdf_text, poppler

from sheetgen.cli import main


@pytest.fixture(scope="module")
def handout(libreoffice, tmp_path_factory) -> Path:
    """The default handout, printed once for the tests of group "handout", which `--dist
    loadgroup` runs on one worker."""
    path = tmp_path_factory.mktemp("handout") / "handout.pdf"
    assert main(["handout", "-o", str(path), "-q"]) == 0
    return path


@pytest.mark.xdist_group("handout")
def test_the_table_the_charts_the_sweep_and_the_notes(handout):
    assert "Pages:           4" in poppler("pdfinfo", str(handout))
    assert "Single neuron training — Training" in pdf_text(handout, 1)
    assert "Single neuron training — Training" in pdf_text(handout, 2)
    assert "Single neuron training — Sweep" in pdf_text(handout, 3)
    assert "Single neuron training — Notes" in pdf_text(handout, 4)


@pytest.mark.xdist_group("handout")
def test_page_one_has_the_table_and_the_parameters_page_two_the_charts(handout):
    text = pdf_text(handout, 1)
    for header in ("Learning rate", "Training", "Neuron", "Outputs", "Input", "Weight", "Bias",
                   "Bias gradient", "Net", "Output", "Target", "Attempt", "Error", "Loss",
                   "Summary", "converged"):
        assert header in text
    assert ("learning rate 0.1 · input 0.01 · target ×10 · initial weight 0.5, bias 0.5 · "
            "1,000 attempts") in text
    assert "0.466040298" in text          # attempt 1's output, as the number format shows it
    assert "Page 1 of 4" in text and "all of them on screen" in text
    charts = pdf_text(handout, 2)
    for title in ("Loss falling", "Loss, log scale", "Output and target", "Weight and bias"):
        assert title in charts


@pytest.mark.xdist_group("handout")
def test_page_three_is_the_sweep_chart_with_every_rate(handout):
    text = pdf_text(handout, 3)
    assert "Loss at each learning rate, log scale" in text
    for rate in ("0.01", "0.1", "0.5", "1", "2", "5"):
        assert rate in text.split()


@pytest.mark.xdist_group("handout")
def test_page_four_is_the_notes(handout):
    text = pdf_text(handout, 4)
    assert "How this workbook trains a neuron" in text
    assert "chain rule" in text
    assert "loss below 1e-12 from attempt 21 (converged)" in text


def test_handout_needs_libreoffice(tmp_path, monkeypatch, capsys):
    monkeypatch.setattr("sheetgen.engines.programs.shutil.which", lambda program: None)
    target = tmp_path / "h.pdf"
    assert main(["handout", "-o", str(target)]) == 2
    assert capsys.readouterr().err == (
        "sheetgen: error: the handout is printed by LibreOffice, and soffice was not found "
        "(Debian package libreoffice-calc-nogui)\n")
    assert not target.exists()


def test_handout_output_must_be_a_pdf(capsys):
    with pytest.raises(SystemExit) as exit:
        main(["handout", "-o", "notes.xlsx"])
    assert exit.value.code == 2
    assert capsys.readouterr().err == (
        "sheetgen handout: error: argument -o/--output: must name a .pdf file, "
        "not 'notes.xlsx'\n")


@pytest.mark.usefixtures("libreoffice")
def test_a_network_handout_prints_its_training_charts_data_and_notes(tmp_path):
    path = tmp_path / "xor.pdf"
    assert main(["handout", "network", "--preset", "xor", "--attempts", "300", "-o", str(path),
                 "-q"]) == 0
    pages = int(poppler("pdfinfo", str(path)).split("Pages:")[1].split()[0])
    assert pages >= 5
    first = pdf_text(path, 1) + pdf_text(path, 2)
    assert "Network training — Training" in first
    assert "layers 2,2,1 · tanh,tanh · 4 samples, full batch · learning rate 0.5 · 300 attempts" \
        in first
    assert "w x1→h1" in first and "∂b o1" in first and "δ o1" not in first
    assert "Network training — Charts" in pdf_text(path, 3)
    assert "Loss, log scale" in pdf_text(path, 3)
    boundary = pdf_text(path, 4)   # XOR's four samples are points of the plane
    assert "Decision boundary — Boundary" in boundary and "Show attempt" in boundary
    data = pdf_text(path, 5)
    assert "Network training — Data" in data and "Initial weights and biases" in data
    assert all("Network training — Notes" in pdf_text(path, page) for page in range(6, pages + 1))
    assert "Backpropagation in this network" in pdf_text(path, 6)
    assert any("The decision boundary" in pdf_text(path, page) for page in range(6, pages + 1))


@pytest.mark.usefixtures("libreoffice")
def test_a_classifying_handout_prints_the_accuracy_the_confusion_matrix_and_the_classes(
        tmp_path):
    path = tmp_path / "iris.pdf"
    assert main(["handout", "network", "--preset", "iris", "--batch", "1", "--attempts", "150",
                 "-o", str(path), "-q"]) == 0
    pages = int(poppler("pdfinfo", str(path)).split("Pages:")[1].split()[0])
    texts = {page: pdf_text(path, page) for page in range(1, pages + 1)}
    charts = " ".join(text for text in texts.values() if "training — Charts" in text)
    assert "Accuracy: the share" in charts
    assert "Confusion matrix" in charts and \
        "Each training sample counted once, at the last attempt that saw it." in charts
    assert "setosa" in charts and "virginica" in charts and \
        "Final accuracy, training" in charts
    data = " ".join(text for text in texts.values() if "training — Data" in text)
    assert "Classes" in data and "standardised" in data
    notes = " ".join(text for text in texts.values() if "training — Notes" in text)
    assert "Classes and the cross-entropy" in notes and "natural logarithm" in notes
    assert pages <= 8


@pytest.mark.usefixtures("libreoffice")
def test_the_articles_neuron_with_adam_prints_its_optimizers_sheet_last(tmp_path):
    path = tmp_path / "adam.pdf"
    assert main(["handout", "--optimizer", "adam", "--attempts", "200", "-o", str(path),
                 "-q"]) == 0
    pages = int(poppler("pdfinfo", str(path)).split("Pages:")[1].split()[0])
    first = pdf_text(path, 1)
    assert "layers 1,1 · tanh · 1 sample, full batch · Adam · learning rate 0.1 · 200 attempts" \
        in first
    assert "β1 (BETA1)" in first and "ε (EPSILON)" in first
    notes = "".join(pdf_text(path, page) for page in range(4, pages))
    assert "The optimizer: Adam" in notes and "m w x1→o1" in notes and "v b o1" in notes
    last = pdf_text(path, pages)
    assert "Network training — Optimizers" in last
    assert "each optimizer at the rate in column A · 200 attempts" in last
    assert "Loss under each optimizer, log scale" in last and "Adam: β2" in last


@pytest.mark.usefixtures("libreoffice")
def test_a_convolutional_handout_prints_every_backpropagation_step_whole(tmp_path):
    """The steps' texts are wrapped onto rows of their own: the last words of the longest,
    the convolution's and the output δ's, are on the printed page, not cut at its edge."""
    path = tmp_path / "conv.pdf"
    assert main(["handout", "network", "--data", "digits", "--samples", "20", "--layers",
                 "8x8,conv2@3x3,maxpool2,10", "--activation", "tanh,softmax", "--loss",
                 "cross-entropy", "--batch", "5", "--attempts", "5", "-o", str(path),
                 "-q"]) == 0
    pages = int(poppler("pdfinfo", str(path)).split("Pages:")[1].split()[0])
    notes = " ".join(" ".join(pdf_text(path, page).split()) for page in range(1, pages + 1)
                     if "Network training — Notes" in pdf_text(path, page))
    for words in ("Convolution", "finds it wherever it is.", "Max pooling",
                  "no weights and no activation.", "δ via pooling",
                  "saturated output's slope would make it."):
        assert words in notes
