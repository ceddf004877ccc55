"""An old Word file (.doc): read by what it really is, converted by LibreOffice only when it must be.

Files named .doc are often something else: a web page "saved as Word" (HTML or MHT — common on
government sites), an RTF, a .docx renamed. Pages go to the page reader and a .docx to the Word
reader, so their links are never followed by anyone. Only a real Word 97–2003 file (an OLE2 compound
file) or an RTF goes to LibreOffice, and then locked down:

- a private, throw-away profile (``-env:UserInstallation``, a ``file:`` URL from ``Path.as_uri()``),
  so the conversion never joins a LibreOffice the clerk has open — with that one's settings;
- in that profile: every internet protocol through a proxy that does not exist (127.0.0.1:9, and
  the proxy variables of the environment removed), linked images blocked
  (``BlockUntrustedRefererLinks``), links never updated, macros never run;
- the import filter named (``--infilter``), so a file cannot pick another importer by its content;
- a copy of the file in a temporary folder (LibreOffice's lock file never lands beside the clerk's
  file), a time limit, a memory cap, and the result read back by the bounded Word reader;
- started as if on its own (not with the frozen bundle's library paths) and ended with everything it
  started, also on Windows (a Job object): model/outside_program.py.
"""

from __future__ import annotations

import email
import email.policy
import re
import subprocess
import tempfile
from pathlib import Path

from export.importing import ImportFailed
from export.reading.blocks import Block, SourceRefused
from export.reading.bounded import read_source_bytes, refusals_named
from export.reading.libreoffice import find_soffice
from model import outside_program
from model.limits import (
    CONVERSION_MEMORY_BYTES,
    CONVERSION_SECONDS,
    MAX_ARCHIVE_LINES,
    MAX_ARCHIVE_PARTS,
    MAX_TEXT_FILE_BYTES,
    MiB,
)

OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
DEAD_PROXY = ("127.0.0.1", 9)  # the discard port: nothing listens, a connection is refused at once
_HTML = re.compile(rb"<\s*(!doctype\s+html|html|head|body|table|meta|p|div)\b", re.I)
_MIME = re.compile(rb"\A\s*(mime-version\s*:|content-type\s*:\s*multipart/related)", re.I)
_FILTERS = {"word97": "MS Word 97", "rtf": "Rich Text Format"}

PROFILE_SETTINGS = """<?xml version="1.0" encoding="UTF-8"?>
<oor:items xmlns:oor="http://openoffice.org/2001/registry" xmlns:xs="http://www.w3.org/2001/XMLSchema" \
xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
{items}
</oor:items>
"""
_SETTINGS: tuple[tuple[str, str, str], ...] = (
    ("/org.openoffice.Inet/Settings", "ooInetProxyType", "2"),  # manual proxies …
    *((("/org.openoffice.Inet/Settings", f"ooInet{scheme}ProxyName", DEAD_PROXY[0])) for scheme in ("HTTP", "HTTPS", "FTP")),
    *((("/org.openoffice.Inet/Settings", f"ooInet{scheme}ProxyPort", str(DEAD_PROXY[1]))) for scheme in ("HTTP", "HTTPS", "FTP")),
    ("/org.openoffice.Inet/Settings", "ooInetNoProxy", ""),  # … for every host, 127.0.0.1 included
    ("/org.openoffice.Office.Common/Security/Scripting", "BlockUntrustedRefererLinks", "true"),
    ("/org.openoffice.Office.Common/Security/Scripting", "MacroSecurityLevel", "3"),
    ("/org.openoffice.Office.Common/Security/Scripting", "DisableMacrosExecution", "true"),
    ("/org.openoffice.Office.Writer/Content/Update", "Link", "0"),  # never update links
    ("/org.openoffice.Office.Writer/Content/Update", "Field", "false"),
    ("/org.openoffice.Office.Common/Misc", "FirstRun", "false"),
)
_PROXY_VARIABLES = ("http_proxy", "https_proxy", "ftp_proxy", "all_proxy", "no_proxy")


def sniff(data: bytes) -> str:
    """What a ".doc" really holds: word97, rtf, html, mht, docx, or unknown."""
    head = data[:4096].lstrip(b"\xef\xbb\xbf\xff\xfe\x00 \t\r\n")
    if data.startswith(OLE2):
        return "word97"
    if head.startswith(b"{\\rtf"):
        return "rtf"
    if data.startswith(b"PK\x03\x04"):
        return "docx"
    if _MIME.match(data[:4096]):
        return "mht"
    # a page opens with markup ("<!DOCTYPE", "<html", "<?xml", a comment …): "<p" somewhere in binary noise is no page
    if head.startswith(b"<") and _HTML.search(head):
        return "html"
    wide = data[:4096].decode("utf-16", errors="ignore").lstrip("\ufeff \t\r\n")
    if wide.startswith("<") and _HTML.search(wide.encode("utf-8", "ignore")):
        return "html"
    return "unknown"


def write_profile(profile: Path) -> None:
    """A LibreOffice user profile that cannot reach the network and runs no macros."""
    items = "\n".join(f'<item oor:path="{path}"><prop oor:name="{name}" oor:op="fuse"><value>{value}</value></prop></item>'
                      for path, name, value in _SETTINGS)
    user = profile / "user"
    user.mkdir(parents=True, exist_ok=True)
    (user / "registrymodifications.xcu").write_text(PROFILE_SETTINGS.format(items=items), encoding="utf-8")


def conversion_command(soffice: Path, profile: Path, source: Path, kind: str, folder: Path) -> list[str]:
    return [str(soffice), "--headless", "--invisible", "--norestore", "--nolockcheck", "--nodefault", "--nologo",
            "--nofirststartwizard", f"-env:UserInstallation={profile.as_uri()}", f"--infilter={_FILTERS[kind]}",
            "--convert-to", "docx:MS Word 2007 XML", "--outdir", str(folder), str(source)]


def conversion_environment() -> dict[str, str]:
    """The environment without proxy variables (a no_proxy of 127.0.0.1 would route around the dead proxy),
    nor what the frozen bundle set for itself (model/outside_program.py: LD_LIBRARY_PATH, Qt's paths)."""
    return {k: v for k, v in outside_program.environment().items() if k.lower() not in _PROXY_VARIABLES}


def _run(command: list[str], timeout: float) -> None:
    """Run LibreOffice so that a time-out — or our own end — ends all of it (soffice.bin included): its own
    process group on POSIX, a Job object on Windows (model/outside_program.py); within a memory cap."""
    process, job = outside_program.start(command, conversion_environment(), memory=CONVERSION_MEMORY_BYTES)
    try:
        process.wait(timeout=timeout)
    except BaseException:  # the time limit, or Ctrl+C
        outside_program.end(process, job)
        raise
    finally:
        if job is not None:
            job.close()  # (anything LibreOffice left running ends with the job)


def convert(data: bytes, kind: str, name: str, folder: Path, *, soffice: Path | None = None,
            timeout: float = CONVERSION_SECONDS) -> Path:
    """``data`` (a Word 97 file or an RTF) as a .docx in ``folder``, converted with the network shut off."""
    soffice = soffice or find_soffice()
    if soffice is None:
        raise ImportFailed(f"“{name}”是旧版 Word 文档（.doc），本机没有找到用来转换它的 LibreOffice。"
                           "请在 Word 或 WPS 中打开它，“另存为”Word 文档（.docx）后再导入。")
    source = folder / ("source.doc" if kind == "word97" else "source.rtf")
    source.write_bytes(data)
    profile = folder / "profile"
    write_profile(profile)
    failed = f"无法转换“{name}”：请在 Word 或 WPS 中另存为 .docx 后再导入。"
    try:
        _run(conversion_command(soffice, profile, source, kind, folder), timeout)
    except subprocess.TimeoutExpired:
        raise ImportFailed(f"转换“{name}”超过 {timeout:.0f} 秒，已停止。请在 Word 或 WPS 中另存为 .docx 后再导入。") from None
    except OSError:
        raise ImportFailed(failed) from None
    converted = folder / "source.docx"
    if not converted.is_file():
        raise ImportFailed(failed)
    return converted


def _mht_page(data: bytes) -> bytes:
    """The HTML of a web archive (.mht), with its charset declared for the page reader. Python's mail parser
    keeps every line and part as objects (8 million lines took 885 MB): both are counted first."""
    lines = data.count(b"\n")
    if lines > MAX_ARCHIVE_LINES:
        raise SourceRefused(f"网页存档（MHT）的行数过多（{lines:,} 行，最多 {MAX_ARCHIVE_LINES:,} 行）")
    parts = data.count(b"\n--")  # every part and every end of parts starts a line with its boundary
    if parts > MAX_ARCHIVE_PARTS:
        raise SourceRefused(f"网页存档（MHT）的组成部分过多（超过 {MAX_ARCHIVE_PARTS:,} 个）")
    message = email.message_from_bytes(data, policy=email.policy.compat32)
    for part in message.walk():
        if part.get_content_type() == "text/html":
            payload = part.get_payload(decode=True) or b""
            charset = part.get_content_charset()
            if charset and not re.search(rb"<meta[^>]+charset", payload[:4096], re.I):
                payload = f'<meta charset="{charset}">'.encode("ascii", "ignore") + payload
            return payload
    return b""


def read_doc_blocks(path: Path) -> list[Block]:
    """Blocks from a file named .doc, whatever it really is (see the module's note)."""
    from export.reading.docx_reader import read_docx_blocks
    from export.reading.html_reader import html_blocks

    with refusals_named(path):
        data = read_source_bytes(path)
        kind = sniff(data)
        if kind == "html":
            if len(data) > MAX_TEXT_FILE_BYTES:  # as a page saved as .html
                raise SourceRefused(f"网页文件过大（超过 {MAX_TEXT_FILE_BYTES // MiB} MB）")
            return html_blocks(data)
        if kind == "mht":
            return html_blocks(_mht_page(data))
        if kind == "docx":
            return read_docx_blocks(path)
        if kind not in _FILTERS:
            raise ImportFailed(f"“{path.name}”不是 Word 文档（也不是另存为 .doc 的网页）。"
                               "请在 Word 或 WPS 中打开它，“另存为”Word 文档（.docx）后再导入。")
        with tempfile.TemporaryDirectory(prefix="nianbao-doc-") as folder:
            return read_docx_blocks(convert(data, kind, path.name, Path(folder)))

