"""Opening a file never sends a request: readers and the .doc conversion against a local HTTP server.

The server on 127.0.0.1 answers everything and records every request; each test asserts it saw
none. External entities and DTDs (http:// and file://) are tried on the XML parsers the readers use
— through the importer, where such a part is refused, and on the parsers themselves, where they are
not resolved. Web pages and pages saved as .doc link images, style sheets and frames; a real Word
97 file and an RTF link a picture: LibreOffice converts them in a profile that cannot reach out.
"""

from __future__ import annotations

import http.server
import shutil
import subprocess
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from export.importing import ImportFailed
from export.reading import read_source
from tests.hostile import cases


class Recorder(http.server.ThreadingHTTPServer):
    requests: list[str]

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}"


class _Handler(http.server.BaseHTTPRequestHandler):
    def do_GET(self) -> None:
        self.server.requests.append(self.path)  # type: ignore[attr-defined]
        body = b"\x89PNG\r\n\x1a\n" if self.path.endswith(".png") else b'<!ENTITY leak "LEAKED">body{color:red}'
        self.send_response(200)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    do_HEAD = do_POST = do_GET

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def server() -> Iterator[Recorder]:
    recorder = Recorder(("127.0.0.1", 0), _Handler)
    recorder.requests = []
    thread = threading.Thread(target=recorder.serve_forever, daemon=True)
    thread.start()
    yield recorder
    recorder.shutdown()
    recorder.server_close()


def _read_whatever_it_is(path: Path) -> None:
    """Read a source that is no real report: what matters here is what the reading did not do."""
    try:
        read_source(path)
    except ImportFailed:
        pass


def _page(url: str) -> str:
    return (f'<html><head><meta charset="utf-8"><link rel="stylesheet" href="{url}/style.css">'
            f'<style>@import url("{url}/import.css"); body {{ background: url({url}/bg.png) }}</style>'
            f'<script src="{url}/script.js"></script></head><body><p>一、总体情况</p>'
            f'<img src="{url}/img.png"><iframe src="{url}/frame.html"></iframe>'
            f'<table background="{url}/table.png"><tr><td><img src="{url}/cell.png">1</td></tr></table></body></html>')


def test_xml_parsers_resolve_no_external_entity(server, tmp_path):
    """python-docx's and openpyxl's parsers, handed an external DTD and entities (http://, file://)."""
    from docx.oxml.parser import parse_xml
    from lxml import etree
    from openpyxl.xml.functions import fromstring

    secret = tmp_path / "secret.txt"
    secret.write_text("SECRET", encoding="utf-8")
    xml = (f'<!DOCTYPE w:document SYSTEM "{server.url}/doc.dtd" [<!ENTITY web SYSTEM "{server.url}/entity">'
           f'<!ENTITY local SYSTEM "{secret.as_uri()}"><!ENTITY % remote SYSTEM "{server.url}/param.dtd"> %remote;]>'
           f'<w:document {cases.W}><w:body><w:p><w:r><w:t>&web;&local;</w:t></w:r></w:p></w:body></w:document>')
    for parse in (parse_xml, fromstring):
        try:
            element = parse(xml.encode())
        except (etree.LxmlError, SyntaxError, ValueError):
            continue  # refused outright: also fine
        assert "SECRET" not in etree.tostring(element, encoding="unicode") if hasattr(element, "nsmap") else True
    assert server.requests == []


def test_word_and_excel_files_with_entities_are_refused_and_fetch_nothing(server, tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text("SECRET", encoding="utf-8")
    prolog = (f'<!DOCTYPE w:document SYSTEM "{server.url}/doc.dtd" [<!ENTITY web SYSTEM "{server.url}/entity">'
              f'<!ENTITY local SYSTEM "{secret.as_uri()}">]>')
    docx = cases.write_docx(tmp_path / "e.docx", cases.document_xml(
        "<w:body><w:p><w:r><w:t>&web;&local;</w:t></w:r></w:p></w:body>", prolog))
    xlsx = cases.write_xlsx(tmp_path / "e.xlsx", "<sheetData/>", {
        "xl/sharedStrings.xml": prolog.replace("w:document", "sst")
        + '<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><si><t>&web;&local;</t></si></sst>'})
    for path in (docx, xlsx):
        with pytest.raises(ImportFailed, match="含有 DTD 声明"):
            read_source(path)
    assert server.requests == []


def test_a_web_page_fetches_nothing(server, tmp_path):
    page = tmp_path / "page.html"
    page.write_text(_page(server.url), encoding="utf-8")
    _read_whatever_it_is(page)
    assert server.requests == []


def test_a_page_saved_as_doc_is_read_as_a_page_and_fetches_nothing(server, tmp_path, fixtures_dir):
    page = (fixtures_dir / "shanghai_office_2019.html").read_text(encoding="utf-8")
    doc = tmp_path / "saved-from-the-web.doc"
    doc.write_text(page.replace("</head>", _page(server.url).split("<body>")[0].split("<head>")[1] + "</head>", 1)
                   .replace("<body", f'<body background="{server.url}/body.png"', 1), encoding="utf-8")
    result = read_source(doc)  # no LibreOffice involved: the page reader reads it
    assert result.report.cells[("requests", "received", "natural")] == 821
    assert server.requests == []


def test_a_web_archive_saved_as_doc(server, tmp_path, fixtures_dir):
    html = (fixtures_dir / "shanghai_office_2019.html").read_bytes()
    mht = (b'MIME-Version: 1.0\r\nContent-Type: multipart/related; boundary="B"\r\n\r\n--B\r\n'
           b'Content-Type: text/html; charset="utf-8"\r\nContent-Transfer-Encoding: 8bit\r\n\r\n' + html
           + f'\r\n--B\r\nContent-Location: {server.url}/img.png\r\nContent-Type: image/png\r\n\r\nx\r\n--B--\r\n'.encode())
    doc = tmp_path / "archive.doc"
    doc.write_bytes(mht)
    assert read_source(doc).report.cells[("requests", "received", "natural")] == 821
    assert server.requests == []


def _word97_with_a_linked_picture(url: str, folder: Path) -> Path:
    """A real .doc (OLE2) whose picture is linked, not embedded: INCLUDEPICTURE "url" \\d."""
    from export.reading.doc_reader import OLE2

    html = folder / "linked.html"
    html.write_text(f'<html><body><p>一、总体情况</p><p><img src="{url}/linked.png" width="20" height="20"></p>'
                    "<table><tr><td>本年新收政府信息公开申请数量</td><td>7</td></tr></table></body></html>",
                    encoding="utf-8")
    subprocess.run(["soffice", "--headless", f"-env:UserInstallation={(folder / 'gen-profile').as_uri()}",
                    "--convert-to", "doc:MS Word 97", "--outdir", str(folder), str(html)],
                   check=True, capture_output=True, timeout=180)
    doc = folder / "linked.doc"
    data = doc.read_bytes()
    assert data.startswith(OLE2) and "linked.png".encode("utf-16-le") in data  # the link is in the file
    return doc


@pytest.mark.slow
@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice is not installed")
def test_a_word97_file_with_a_linked_picture_fetches_nothing(server, tmp_path):
    doc = _word97_with_a_linked_picture(server.url, tmp_path)
    server.requests.clear()  # making it (with a normal profile) fetched the picture; reading must not
    from export.reading.doc_reader import read_doc_blocks

    blocks = read_doc_blocks(doc)  # converted by LibreOffice and read
    assert "一、总体情况" in blocks
    assert server.requests == []


@pytest.mark.slow
@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice is not installed")
def test_an_rtf_with_a_linked_picture_fetches_nothing(server, tmp_path):
    rtf = tmp_path / "linked.doc"
    rtf.write_text("{\\rtf1\\ansi{\\field{\\*\\fldinst INCLUDEPICTURE \"" + server.url + "/rtf.png\" \\\\d}"
                   "{\\fldrslt x}}\\par {\\field{\\*\\fldinst INCLUDETEXT \"" + server.url + "/text.rtf\"}{\\fldrslt y}}}",
                   encoding="ascii")
    _read_whatever_it_is(rtf)
    assert server.requests == []


@pytest.mark.slow
@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice is not installed")
def test_the_conversion_profile_alone_blocks_a_page(server, tmp_path):
    """Belt and braces: even a web page handed to LibreOffice (which the reader never does) fetches
    nothing in the conversion's profile — its style sheets and pictures included."""
    from export.reading.doc_reader import conversion_command, write_profile
    from export.reading.libreoffice import find_soffice

    page = tmp_path / "page.html"
    page.write_text(_page(server.url), encoding="utf-8")
    profile = tmp_path / "profile"
    write_profile(profile)
    command = [arg if not arg.startswith("--infilter=") else "--infilter=HTML (StarWriter)"
               for arg in conversion_command(find_soffice(), profile, page, "word97", tmp_path)]
    subprocess.run(command, capture_output=True, timeout=180, check=False)
    assert (tmp_path / "page.docx").is_file()  # it did convert
    assert server.requests == []
    # and the same page in a default profile does fetch: the server would have seen it
    subprocess.run(["soffice", "--headless", f"-env:UserInstallation={(tmp_path / 'plain').as_uri()}",
                    "--convert-to", "odt", "--outdir", str(tmp_path / "plain-out"), str(page)],
                   capture_output=True, timeout=180, check=False)
    assert server.requests != []
