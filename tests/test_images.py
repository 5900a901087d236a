"""Pictures as inputs: the built-in digits' 8×8, and --image W×H for a file's pixels."""

import pytest

from sheetgen import InputError, api


def _letters(path, width: int, height: int) -> None:
    """Two letters of W×H pixels, a row each: an L and a T, 0 or 1 a pixel."""
    def letter(lit) -> list[str]:
        return ["1" if lit(r, c) else "0" for r in range(height) for c in range(width)]
    rows = [letter(lambda r, c: c == 0 or r == height - 1) + ["L"],
            letter(lambda r, c: r == 0 or c == width // 2) + ["T"]]
    header = [f"p{n + 1}" for n in range(width * height)] + ["letter"]
    path.write_text("\n".join(",".join(row) for row in [header, *rows]) + "\n")


def test_image_gives_a_files_inputs_their_picture(tmp_path):
    data = tmp_path / "letters.csv"
    _letters(data, 5, 7)
    run = api.network_run(data=data, image="5x7", attempts=2)
    assert run.network.sizes == (35, 2) and run.network.image == (5, 7)
    assert run.classes == ("L", "T")
    assert api.network_run(data=data, attempts=2).network.image is None


def test_the_digits_are_eight_by_eight_pictures():
    run = api.network_run(data="digits", samples=10, batch=10, activation="softmax",
                          loss="cross-entropy", attempts=2)
    assert run.network.image == (8, 8)
    assert api.network_run(data="digits", samples=10, batch=10, activation="softmax",
                           loss="cross-entropy", attempts=2, image=(4, 16)).network.image == (
        4, 16)


def test_the_api_refuses_a_bad_image_with_the_command_lines_message():
    for image, message in (("8", "must be W×H, a picture's width and height in pixels like "
                                  "8x8, not '8'"),
                           ((0, 8), "must be at least 1 pixel each way, not (0, 8)")):
        with pytest.raises(InputError) as caught:
            api.network_run(data="digits", samples=10, image=image)
        assert str(caught.value) == f"argument --image: {message}"
