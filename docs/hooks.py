"""MkDocs hook: the site serves the pictures and the handout in output/ at images/, so the
pages show the same files as README.md without a second copy of them under docs/."""

from pathlib import Path

from mkdocs.structure.files import File

SERVED = ("*.png", "*.pdf")


def on_files(files, config):
    output = Path(config.config_file_path).parent / "output"
    for pattern in SERVED:
        for path in sorted(output.glob(pattern)):
            files.append(File.generated(config, f"images/{path.name}", abs_src_path=str(path)))
    return files
