"""The program's own files (example reports, icons), found the same way from source and frozen."""

from __future__ import annotations

from pathlib import Path

FOLDER = Path(__file__).resolve().parent


def resource_path(*parts: str) -> Path:
    """A file shipped with the program: ``resource_path("examples", "chengbu_commerce_2019.nianbao")``.

    The files lie next to this module: in the source tree, in site-packages (package data) and in
    the PyInstaller bundle (the spec collects them beside the frozen package).
    """
    return FOLDER.joinpath(*parts)


def example_report() -> Path:
    return resource_path("examples", "chengbu_commerce_2019.nianbao")


def icon() -> Path:
    return resource_path("icons", "nianbao.png")
