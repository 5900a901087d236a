"""A LibreOffice that stays up for a whole test session, converting one workbook after another.

Run by Debian's /usr/bin/python3, which can import LibreOffice's `uno`:
    libreoffice_bridge.py PROFILE_URL PIPE_NAME
It starts a headless LibreOffice on the profile (the one `programs.LibreOffice` makes: every
file recalculated on load), then reads requests from stdin, one a line, SOURCE TAB DESTINATION
TAB FILTER, and answers each on stdout with "ok" or "error: …". Each workbook is loaded
hidden, which recalculates it, stored with the export filter, and closed: what
`soffice --convert-to` does, without starting LibreOffice again, which takes seconds a time.
"""

import sys

import uno
from com.sun.star.beans import PropertyValue
from libreoffice_edit import running_office


def property_value(name, value):
    prop = PropertyValue()
    prop.Name, prop.Value = name, value
    return prop


def convert(desktop, source, destination, filter_name):
    document = desktop.loadComponentFromURL(
        uno.systemPathToFileUrl(source), "_blank", 0, (property_value("Hidden", True),))
    if document is None:
        raise RuntimeError(f"LibreOffice could not open {source}")
    try:
        document.storeToURL(uno.systemPathToFileUrl(destination),
                            (property_value("FilterName", filter_name),
                             property_value("Overwrite", True)))
    finally:
        document.close(True)


def main(profile_url, pipe):
    with running_office(profile_url, pipe) as desktop:
        print("ready", flush=True)
        for line in sys.stdin:
            source, destination, filter_name = line.rstrip("\n").split("\t")
            try:
                convert(desktop, source, destination, filter_name)
                print("ok", flush=True)
            except Exception as error:  # the bridge reports it, and the test fails on it
                print(f"error: {type(error).__name__}: {error}".replace("\n", " "), flush=True)


if __name__ == "__main__":
    main(*sys.argv[1:])
