"""Real spreadsheet programs, run headless, made to recalculate a workbook from its formulas.

Both engines trust the results stored in an .xlsx unless told otherwise: LibreOffice keeps
them on load by default, and `ssconvert` keeps them without `--recalc`. Since sheetgen stores
a result in every formula cell, a harness that did not force recalculation would compare the
stored numbers with themselves. So LibreOffice runs with a throwaway profile set to recalculate
on load, Gnumeric with `--recalc`; the tests keep a canary (a file with wrong stored results
must come back corrected) to prove it.
"""

import contextlib
import os
import shutil
import signal
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

RECALCULATE_ON_LOAD = """<?xml version="1.0" encoding="UTF-8"?>
<oor:items xmlns:oor="http://openoffice.org/2001/registry"
           xmlns:xs="http://www.w3.org/2001/XMLSchema"
           xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
<item oor:path="/org.openoffice.Office.Calc/Formula/Load">
  <prop oor:name="OOXMLRecalcMode" oor:op="fuse"><value>0</value></prop></item>
<item oor:path="/org.openoffice.Office.Calc/Formula/Load">
  <prop oor:name="ODFRecalcMode" oor:op="fuse"><value>0</value></prop></item>
<item oor:path="/org.openoffice.Office.Calc/Formula/Calculation">
  <prop oor:name="UseThreadedCalculationForFormulaGroups" oor:op="fuse">
    <value>false</value></prop></item>
<item oor:path="/org.openoffice.Office.Common/Security/Scripting">
  <prop oor:name="MacroSecurityLevel" oor:op="fuse"><value>3</value></prop></item>
</oor:items>
"""
"""A LibreOffice profile fragment: always recalculate .xlsx and .ods files on load (mode 0),
compute formula groups one cell at a time, and run no macros (security level 3, 'very high').

LibreOffice 7.4's threaded calculation of formula groups, recalculating a network sheet whose
stored results are wrong (the canary), reads cells of a row before it has recalculated them:
the bias-gradient column =(Q3+AE3+AS3+BG3)/4 came out 9258.67 for -0.1329. One cell at a
time, it computes every cell right. See docs/engines.md."""

DEFAULT_TIMEOUT = 900
NOT_ABOUT_THE_WORKBOOK = ("failed to launch javaldx", "pango_attr_list_filter: assertion")
"""Engine warnings that say nothing about the workbook read: LibreOffice finding no Java;
Gnumeric's text layout asserting as it draws a chart whose points lie outside its axes (the
Boundary sheet's chart parks there the points that are not in a series, having no error value
to leave them out by). Blank lines between them say nothing either."""


class EngineError(Exception):
    """The engine could not be run or did not produce a result; the message says why."""


@dataclass(frozen=True)
class Engine:
    name: str
    program: str
    package: str
    """The Debian package that provides the program."""

    def path(self) -> str | None:
        return shutil.which(self.program)

    def recalculate(self, source: Path, destination: Path,
                    timeout: float = DEFAULT_TIMEOUT) -> str:
        """Load `source`, recalculate every formula, and save the result as .xlsx.

        Returns the engine's warnings (its stderr), which are empty for a sound workbook.
        """
        raise NotImplementedError


class LibreOffice(Engine):
    def recalculate(self, source, destination, timeout=DEFAULT_TIMEOUT):
        return self.convert(source, destination, "xlsx:Calc MS Excel 2007 XML", timeout)

    def convert(self, source: Path, destination: Path, filter_name: str,
                timeout: float = DEFAULT_TIMEOUT) -> str:
        """Convert `source` with one of LibreOffice's export filters, recalculating first."""
        with tempfile.TemporaryDirectory(prefix="sheetgen-lo-") as scratch:
            scratch = Path(scratch)
            profile = scratch / "profile"
            (profile / "user").mkdir(parents=True)
            (profile / "user" / "registrymodifications.xcu").write_text(RECALCULATE_ON_LOAD)
            outdir = scratch / "out"
            command = [self.path() or self.program, f"-env:UserInstallation={profile.as_uri()}",
                       "--headless", "--norestore", "--nolockcheck",
                       "--convert-to", filter_name, "--outdir", str(outdir), str(source)]
            stderr = _run(self.name, command, timeout, env={**os.environ, "HOME": str(scratch)})
            produced = list(outdir.glob("*")) if outdir.is_dir() else []
            if len(produced) != 1:
                raise EngineError(f"{self.name} wrote no file for {source.name}")
            shutil.move(produced[0], destination)
            return stderr


class Gnumeric(Engine):
    def recalculate(self, source, destination, timeout=DEFAULT_TIMEOUT):
        command = [self.path() or self.program, "--recalc",
                   "--export-type=Gnumeric_Excel:xlsx2", str(source), str(destination)]
        stderr = _run(self.name, command, timeout)
        if not destination.is_file():
            raise EngineError(f"{self.name} wrote no file for {source.name}")
        return stderr


LIBREOFFICE = LibreOffice("libreoffice", "soffice", "libreoffice-calc-nogui")
GNUMERIC = Gnumeric("gnumeric", "ssconvert", "gnumeric")
ENGINES = {engine.name: engine for engine in (LIBREOFFICE, GNUMERIC)}


def _run(name: str, command: list[str], timeout: float, env: dict | None = None) -> str:
    """Run an engine in a session of its own, so that a time-out ends all of its processes.

    Returns what it wrote on stderr.
    """
    try:
        process = subprocess.Popen(command, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                                   stderr=subprocess.PIPE, text=True, env=env,
                                   start_new_session=True)
    except FileNotFoundError:
        raise EngineError(f"{name} is not installed ({command[0]} not found)") from None
    try:
        _, stderr = process.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        raise EngineError(f"{name} took longer than {timeout:.0f} s") from None
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)
        process.wait()
    if process.returncode != 0:
        last_line = (stderr.strip().splitlines() or ["no message"])[-1]
        raise EngineError(f"{name} failed (exit {process.returncode}): {last_line}")
    return "".join(line for line in stderr.splitlines(keepends=True)
                   if line.strip() and not any(noise in line for noise in NOT_ABOUT_THE_WORKBOOK))
