"""One LibreOffice for many workbooks: `office_bridge.py`, run by the Python that has
LibreOffice's bridge, loads each workbook in a LibreOffice that stays up, recalculates it and
reads the cells asked for. Starting LibreOffice takes about a second, and working out a small
workbook in a running one a tenth of that, so a class's files are graded in little more time
than one.

Requests go out as they are made and answers are gathered by a thread as they come, so that
sheetgen prepares the next file while LibreOffice works out the last one.
"""

import contextlib
import json
import os
import queue
import shutil
import subprocess
import tempfile
import threading
from collections.abc import Iterator
from pathlib import Path

from sheetgen.engines.programs import RECALCULATE_ON_LOAD, EngineError

BRIDGE = Path(__file__).with_name("office_bridge.py")
UNO_PYTHON = "/usr/bin/python3"
"""Debian's Python, for which python3-uno builds LibreOffice's bridge."""
UNO_MODULE = "/usr/lib/python3/dist-packages/uno.py"
START_SECONDS = 120
ANSWER_SECONDS = 600


def bridge_available() -> bool:
    """Whether LibreOffice, and the Python with its bridge, are installed."""
    return shutil.which("soffice") is not None and os.path.exists(UNO_PYTHON) \
        and os.path.exists(UNO_MODULE)


class WorkbookError(EngineError):
    """LibreOffice could not work out one workbook (it runs on for the others)."""


class OfficeSession:
    """A running LibreOffice that works out workbooks: `ask` sends a request, `answer` takes
    the answers in the order asked."""

    def __init__(self, scratch: Path):
        profile = scratch / "profile"
        (profile / "user").mkdir(parents=True)
        (profile / "user" / "registrymodifications.xcu").write_text(RECALCULATE_ON_LOAD)
        self._bridge = subprocess.Popen(
            [UNO_PYTHON, str(BRIDGE), profile.as_uri(), f"sheetgen-grade-{os.getpid()}"],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True,
            env={**os.environ, "HOME": str(scratch)}, start_new_session=True)
        self._answers: queue.Queue[str | None] = queue.Queue()
        threading.Thread(target=self._gather, name="sheetgen-office", daemon=True).start()
        self._ready = False

    def _gather(self) -> None:
        for line in self._bridge.stdout:
            self._answers.put(line)
        self._answers.put(None)

    def _next(self, seconds: float) -> str:
        try:
            line = self._answers.get(timeout=seconds)
        except queue.Empty:
            raise EngineError(f"LibreOffice gave no answer in {seconds:.0f} s") from None
        if line is None:
            raise EngineError("LibreOffice stopped (is python3-uno installed?)")
        return line

    def ask(self, path: Path, ranges: list[tuple[str, str]]) -> None:
        """Ask for the values of `ranges` (sheet, range) of the workbook at `path`, as the
        workbook works them out."""
        self._bridge.stdin.write(json.dumps({"path": str(path), "ranges": ranges}) + "\n")
        self._bridge.stdin.flush()

    def answer(self) -> list[list[list[object]]]:
        """The values of the next request asked, range by range, row by row: WorkbookError
        where its workbook could not be worked out, EngineError where LibreOffice is not
        there."""
        if not self._ready:
            if self._next(START_SECONDS).strip() != "ready":
                raise EngineError("LibreOffice's bridge did not start")
            self._ready = True
        answer = json.loads(self._next(ANSWER_SECONDS))
        if "error" in answer:
            raise WorkbookError(answer["error"])
        return answer["values"]

    def close(self) -> None:
        with contextlib.suppress(OSError):
            self._bridge.stdin.close()
        try:
            self._bridge.wait(timeout=60)
        except subprocess.TimeoutExpired:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self._bridge.pid, 9)
            self._bridge.wait()


@contextlib.contextmanager
def office_session() -> Iterator[OfficeSession]:
    """A LibreOffice for the time of the block, stopped after it, whatever happens."""
    with tempfile.TemporaryDirectory(prefix="sheetgen-office-") as scratch:
        session = OfficeSession(Path(scratch))
        try:
            yield session
        finally:
            session.close()
