"""Reading a text file given as input, and showing its contents in a one-line message."""

import json
from pathlib import Path

from sheetgen.errors import InputError
from sheetgen.maths.datasets import LIMIT

RANGE = f"±{LIMIT:,.0f}"
"""The bound of every sample value and parameter, in a message."""


def read_bytes(path: Path) -> bytes:
    """The file's bytes; a file that cannot be read is refused, saying why."""
    try:
        return path.read_bytes()
    except FileNotFoundError:
        raise InputError(f"cannot read {path}: there is no such file") from None
    except IsADirectoryError:
        raise InputError(f"cannot read {path}: it is a directory") from None
    except PermissionError:
        raise InputError(f"cannot read {path}: permission denied") from None
    except OSError as error:
        raise InputError(f"cannot read {path}: {error.strerror or error}") from None


def read_text(path: Path) -> str:
    """The file's text, decoded as UTF-8 (a byte order mark, as Excel writes one, dropped)."""
    data = read_bytes(path)
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data.count(b"\n", 0, error.start) + 1
        raise InputError(f"{path.name} is not UTF-8 text: line {line} holds the byte "
                         f"0x{data[error.start]:02X}; save it as UTF-8 (in Excel: CSV UTF-8)"
                         ) from None


def shorten(text: str) -> str:
    return text if len(text) <= 40 else text[:40] + "…"


def quote(text: str) -> str:
    """Text from a file, shown in a message: quoted, escaped onto one line, and shortened."""
    return json.dumps(shorten(text), ensure_ascii=False)


def count(n: int, noun: str) -> str:
    return f"{n:,} {noun}" if n == 1 else f"{n:,} {noun}s"
