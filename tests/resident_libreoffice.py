"""LibreOffice kept running for a test session (one per pytest-xdist worker, each on a profile of
its own): `sheetgen`'s own engine starts LibreOffice afresh for every file, which costs about
two seconds a time, more than many of the tests' recalculations themselves.

`ResidentLibreOffice` is `programs.LibreOffice` with its conversion handed to
`libreoffice_bridge.py`, which loads each file in a LibreOffice set up exactly as sheetgen's is
(the same profile fragment: every workbook recalculated on load, one cell at a time, no
macros) and stores it with the same export filter. The canaries still prove each
recalculation; `test_engines.py` runs sheetgen's own engine too.
"""

import dataclasses
import select
import shutil
import subprocess
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from sheetgen.engines.programs import (
    DEFAULT_TIMEOUT,
    LIBREOFFICE,
    RECALCULATE_ON_LOAD,
    EngineError,
    LibreOffice,
)

BRIDGE = Path(__file__).with_name("libreoffice_bridge.py")
SYSTEM_PYTHON = "/usr/bin/python3"
"""Debian's Python, which has LibreOffice's `uno` module (python3-uno)."""


@dataclass(frozen=True)
class ResidentLibreOffice(LibreOffice):
    """LibreOffice as sheetgen runs it, started once and fed one workbook after another."""

    bridge: dict = field(default_factory=dict, compare=False, repr=False)
    """The running bridge process and its scratch directory, once started."""

    def convert(self, source, destination, filter_name, timeout=DEFAULT_TIMEOUT):
        answer = self._ask(f"{source}\t{destination}\t{filter_name.partition(':')[2]}",
                           timeout)
        if answer != "ok":
            self.stop()   # the next conversion starts afresh
            raise EngineError(f"{self.name} failed on {Path(source).name}: {answer}")
        if not Path(destination).is_file():
            raise EngineError(f"{self.name} wrote no file for {Path(source).name}")
        return ""

    def _ask(self, request: str, timeout: float = DEFAULT_TIMEOUT) -> str:
        process = self._process()
        process.stdin.write(request + "\n")
        process.stdin.flush()
        return _answer(process, timeout)

    def _process(self) -> subprocess.Popen:
        if "process" not in self.bridge:
            scratch = Path(tempfile.mkdtemp(prefix="sheetgen-resident-lo-"))
            (scratch / "profile" / "user").mkdir(parents=True)
            (scratch / "profile" / "user" / "registrymodifications.xcu").write_text(
                RECALCULATE_ON_LOAD)
            process = subprocess.Popen(
                [SYSTEM_PYTHON, str(BRIDGE), (scratch / "profile").as_uri(),
                 f"sheetgen-tests-{scratch.name}"],
                stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True,
                env={"HOME": str(scratch), "PATH": "/usr/bin:/bin"})
            ready = _answer(process, 120)
            if ready != "ready":
                process.kill()
                raise EngineError("the resident LibreOffice did not start "
                                  f"({ready or 'no answer'})")
            self.bridge.update(process=process, scratch=scratch)
        return self.bridge["process"]

    def stop(self) -> None:
        """End the bridge and its LibreOffice, and remove their scratch directory."""
        process = self.bridge.pop("process", None)
        if process is not None:
            process.stdin.close()
            try:
                process.wait(timeout=60)
            except subprocess.TimeoutExpired:
                process.kill()
        scratch = self.bridge.pop("scratch", None)
        if scratch is not None:
            shutil.rmtree(scratch, ignore_errors=True)


def _answer(process: subprocess.Popen, timeout: float) -> str:
    """The bridge's next line, or why there is none."""
    readable, _, _ = select.select([process.stdout], [], [], timeout)
    if not readable:
        process.kill()
        return f"no answer within {timeout:.0f} s"
    return process.stdout.readline().strip() or "no answer (LibreOffice stopped)"


def resident() -> ResidentLibreOffice:
    """sheetgen's LibreOffice, made resident."""
    return ResidentLibreOffice(**{f.name: getattr(LIBREOFFICE, f.name)
                                  for f in dataclasses.fields(LIBREOFFICE)})
