"""What a file from outside may cost us: the one place that states every reading limit.

Files come from other offices, websites and e-mail and are hostile until read within these
bounds. Every reader (.nianbao, .docx, .xlsx, .html, .txt, .doc, .pdf) checks them *before* it
allocates: a span of 10⁹ columns, a zip member that expands to a gigabyte or a spreadsheet that
claims a million rows must cost no more than a normal report. The bounds sit far above what a
real report needs (the largest real reports seen are a few MB with tables of 30 rows × 15 columns)
and far below what hurts an office PC.
"""

from __future__ import annotations

MiB = 1024 * 1024

# ---- any file -------------------------------------------------------------------------------
MAX_REPORT_FILE_BYTES = 20 * MiB  # a .nianbao (a real one is ~20 KB)
MAX_SOURCE_FILE_BYTES = 64 * MiB  # a published report to import (.docx/.xlsx/.html/.txt/.doc/.pdf)
MAX_TEXT_FILE_BYTES = 16 * MiB  # .txt and .html read as text

# ---- zip packages (.docx, .xlsx) ------------------------------------------------------------
MAX_ZIP_MEMBERS = 2_000
MAX_ZIP_MEMBER_BYTES = 64 * MiB  # one part, expanded
MAX_ZIP_TOTAL_BYTES = 200 * MiB  # all parts read, expanded
MAX_ZIP_RATIO = 200  # expanded / compressed for one part (real XML: 5–30)

# ---- structure -----------------------------------------------------------------------------
MAX_XML_DEPTH = 256  # element nesting in XML / HTML
# what all XML parts of one package may ask a parser to build, counted in the bytes before any parser runs:
# each "<" (a tag) is 1 item, each "=" (an attribute) 2, each 64 bytes 1 (text) — so a part made of huge
# attribute lists or of text is bounded as one made of tags (the Shanghai report as LibreOffice saves it
# as .docx: 29 000 items; our own .docx: 11 000; a long Word report with revision marks: a few 100 000)
MAX_XML_ITEMS = 2_000_000
MAX_HTML_TAG_CHARS = 64 * 1024  # one tag with its attributes (a Word-saved page's longest: a few hundred bytes)
MAX_HTML_TAGS = 500_000  # "<" in a web page (a real report's page: ~1 300; html.parser takes ~4 µs a tag)
MAX_ARCHIVE_LINES = 500_000  # lines of a web archive (.mht, often named .doc): its pictures in base64, 76 characters a line
MAX_ARCHIVE_PARTS = 2_000  # parts of a web archive (the page, its pictures and style sheets)
MAX_JSON_DEPTH = 64  # nesting in a .nianbao (a real one: 5)
MAX_SPAN = 64  # a merged cell's rows or columns (the official tables: at most 15 × 28); larger is clamped
MAX_TABLE_ROWS = 5_000
MAX_TABLE_COLUMNS = 256
MAX_TABLE_NESTING = 32  # tables inside tables (a page's layout: 3 or 4)
MAX_TABLES = 2_000
MAX_GRID_CELLS = 200_000  # grid positions of all tables of one source, merged cells counted in full
MAX_PARAGRAPHS = 200_000
MAX_TEXT_CHARS = 4_000_000  # all text of one source, in characters
MAX_SHEETS = 64
MAX_SHEET_ROWS = 5_000  # rows read from one worksheet (a sheet's stated dimension is not trusted)
MAX_SHEET_COLUMNS = 256
MAX_SHEET_CELLS = 200_000  # cells stored in all sheets of one workbook
MAX_MERGED_CELLS = 50_000  # cells covered by merged ranges in one workbook (each becomes an object)
MAX_STYLE_RECORDS = 10_000  # fonts, fills, borders, number formats, cell formats… of a workbook (a real one: < 500)
MAX_WORKBOOK_RECORDS = 100_000  # defined names, sheets, views, external links… in a workbook's main part

# ---- checks ----------------------------------------------------------------------------------
MAX_PROBLEMS_PER_RULE = 50  # listed of one rule; the rest are one summary ("另有N处同类问题未列出")

# ---- PDF -------------------------------------------------------------------------------------
MAX_PDF_PAGES = 300
MAX_PDF_OBJECTS = 1_000_000  # objects the reader will parse in one file
MAX_PDF_STREAM_BYTES = 64 * MiB  # one decompressed content stream
MAX_PDF_TOTAL_STREAM_BYTES = 256 * MiB  # all streams of one file, decompressed (a real report: a few MB)
MAX_PDF_FORM_DEPTH = 12  # form XObjects drawn inside form XObjects (real files: one or two)
MAX_PDF_PAGE_DRAWS = 20_000  # "Do" on one page, each counted as often as it is reached through forms
MAX_PDF_PAGE_CONTENT_BYTES = 4 * MiB  # one page's content streams decoded, forms counted per draw (real: < 100 KB)
MAX_PDF_CONTENT_BYTES = 64 * MiB  # the content streams of all pages, decoded
MAX_PDF_PAGE_TEXT_BYTES = 256 * 1024  # bytes of the strings one page shows, forms counted per draw (real: < 20 KB)
MAX_PDF_PAGE_GLYPHS = 50_000  # characters on one page (a dense real page: ~2 000)
MAX_PDF_GLYPHS = 500_000  # characters in the whole file
MAX_PDF_PAGE_OBJECTS = 50_000  # page objects (text runs, paths, images) on one page (a dense real page: ~3 000)
MAX_PDF_OBJECTS_READ = 250_000  # page objects on all pages together (each path costs the reader ~10 µs)

# ---- a .doc through LibreOffice --------------------------------------------------------------
CONVERSION_SECONDS = 120
# LibreOffice's address space (Linux) or each of its processes' committed memory (Windows): soffice.bin maps
# about 600 MB to start; a 70 MB .doc holding eight 2000×1500 pictures converts within 768 MB
CONVERSION_MEMORY_BYTES = 1024 * MiB

# ---- one file in a batch (a worker process per file at a time) -------------------------------
BATCH_WORKER_MEMORY_BYTES = 1024 * MiB  # a worker's address space: a normal report needs < 150 MB
BATCH_FILE_SECONDS = 60  # reading and checking one file (a .doc adds the conversion's time)
# the list of units that should report (--expect, .txt or .xlsx): a real one of a province is ~600 KB as text
MAX_LIST_BYTES = 1 * MiB

# ---- one file imported in the window (导入…, 从上年报告新建…, 载入上年报告…): a worker process of its own --
IMPORT_WORKER_MEMORY_BYTES = 1024 * MiB  # as a batch's worker: the clerk's open report is in the window's process
IMPORT_FILE_SECONDS = 60  # reading one file (a .doc adds the conversion's time)
