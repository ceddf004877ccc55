"""The .docx package around the document: our own starting template (resources/word_template.py),
the font table with substitution hints, the document properties, and the file's permissions."""

from __future__ import annotations

import datetime as dt
import io
import os
import zipfile
from collections.abc import Iterable
from functools import lru_cache
from pathlib import Path

from docx import Document
from docx.document import Document as DocumentType
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from lxml import etree

from export import docx_oxml as ox
from export.docx_profile import font_hint
from model.version import APP_NAME, __version__
from resources import word_template


@lru_cache(maxsize=1)
def _template() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as package:
        for name, text in word_template.PARTS.items():
            package.writestr(name, text.encode("utf-8"))
    return buffer.getvalue()


def new_document() -> DocumentType:
    """An empty document in our clean template (never python-docx's, whose leftovers Word notices)."""
    return Document(io.BytesIO(_template()))


def app_version(version: str = __version__) -> str:
    """"0.1.0" as docProps' AppVersion, which must read XX.YYYY: 00.0100 (major . minor, patch)."""
    numbers = [int(part) if part.isdigit() else 0 for part in version.split(".")[:3]]
    major, minor, patch = [*numbers, 0, 0, 0][:3]
    return f"{min(major, 99):02d}.{min(minor, 99):02d}{min(patch, 99):02d}"


def finish(doc: DocumentType, *, title: str, author: str, fonts: Iterable[str], latin: str, heading: str,
           body: str, now: dt.datetime | None = None) -> None:
    """The parts that describe the document: core and app properties (created and modified now, by
    年报助手), the theme's fonts, and a font-table entry, with its hints, for every font the document
    names."""
    now = (now or dt.datetime.now(dt.timezone.utc)).replace(microsecond=0)
    properties = doc.core_properties
    properties.title = title
    properties.author = author
    properties.last_modified_by = author
    properties.language = "zh-CN"
    properties.comments = f"由{APP_NAME} {__version__}生成"
    properties.created = properties.modified = now.astimezone(dt.timezone.utc).replace(tzinfo=None)
    properties.revision = 1

    package = doc.part.package
    app = package.part_related_by(RT.EXTENDED_PROPERTIES)
    app._blob = word_template.app_properties(APP_NAME, app_version()).encode("utf-8")

    theme = doc.part.part_related_by(RT.THEME)
    theme._blob = word_template.theme(latin=latin, heading=heading, body=body).encode("utf-8")

    font_table = doc.part.part_related_by(RT.FONT_TABLE)
    root = etree.fromstring(font_table.blob)
    for name in fonts:
        hint = font_hint(name)
        root.append(ox.font_entry(name, alt=hint.alt, panose=hint.panose, charset=hint.charset, family=hint.family,
                                  pitch=hint.pitch, sig=hint.sig))
    font_table._blob = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


def _umask() -> int:
    try:  # Linux says it without changing it
        for line in Path("/proc/self/status").read_text(encoding="ascii").splitlines():
            if line.startswith("Umask:"):
                return int(line.split()[1], 8)
    except (OSError, ValueError):
        pass
    mask = os.umask(0o022)  # elsewhere: set and put back at once
    os.umask(mask)
    return mask


def file_mode(path: Path) -> int | None:
    """The permissions the written file should have: an existing file's own, or what the umask gives a
    new file (0644 under the usual 022) — not the 0600 of a temporary file. None where POSIX modes do
    not apply (Windows)."""
    if os.name != "posix":
        return None
    try:
        return path.stat().st_mode & 0o7777
    except OSError:
        return 0o666 & ~_umask()
