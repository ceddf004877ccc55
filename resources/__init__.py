"""The program's own files (example reports, icons), found the same way from source and frozen."""

from __future__ import annotations

from importlib.resources import as_file, files
from pathlib import Path


def resource_path(*parts: str) -> Path:
    """A file shipped with the program: ``resource_path("examples", "chengbu_commerce_2019.nianbao")``.

    importlib.resources finds it next to this package — in the source tree, in site-packages, and
    in a PyInstaller bundle (which keeps the package's data files beside its modules).
    """
    resource = files(__package__).joinpath(*parts)
    with as_file(resource) as path:
        return Path(path)


def example_report() -> Path:
    return resource_path("examples", "chengbu_commerce_2019.nianbao")


def icon() -> Path:
    return resource_path("icons", "nianbao.png")
