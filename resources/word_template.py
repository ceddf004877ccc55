"""The Word document's own starting package: the smallest set of parts Word, WPS and LibreOffice
open without a second thought — no stylesWithEffects, no thumbnail, no numbering, no foreign theme
language, no built-in style a clerk would pick by mistake. The writer (export/docx_writer.py) fills in what the
profile decides: page, fonts, sizes, spacing, the font table and the document properties.

Kept as Python text rather than files so that it travels inside the frozen program with the code.
"""

from __future__ import annotations

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_HEAD = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
_DOC = "application/vnd.openxmlformats-officedocument"

CONTENT_TYPES = _HEAD + f"""\
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">
<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>
<Default Extension="xml" ContentType="application/xml"/>
<Override PartName="/word/document.xml" ContentType="{_DOC}.wordprocessingml.document.main+xml"/>
<Override PartName="/word/styles.xml" ContentType="{_DOC}.wordprocessingml.styles+xml"/>
<Override PartName="/word/settings.xml" ContentType="{_DOC}.wordprocessingml.settings+xml"/>
<Override PartName="/word/fontTable.xml" ContentType="{_DOC}.wordprocessingml.fontTable+xml"/>
<Override PartName="/word/theme/theme1.xml" ContentType="{_DOC}.theme+xml"/>
<Override PartName="/docProps/core.xml" ContentType="application/vnd.openxmlformats-package.core-properties+xml"/>
<Override PartName="/docProps/app.xml" ContentType="{_DOC}.extended-properties+xml"/>
</Types>"""

PACKAGE_RELS = _HEAD + f"""\
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">
<Relationship Id="rId1" Type="{R}/officeDocument" Target="word/document.xml"/>
<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties" Target="docProps/core.xml"/>
<Relationship Id="rId3" Type="{R}/extended-properties" Target="docProps/app.xml"/>
</Relationships>"""

DOCUMENT_RELS = _HEAD + f"""\
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">
<Relationship Id="rId1" Type="{R}/styles" Target="styles.xml"/>
<Relationship Id="rId2" Type="{R}/settings" Target="settings.xml"/>
<Relationship Id="rId3" Type="{R}/fontTable" Target="fontTable.xml"/>
<Relationship Id="rId4" Type="{R}/theme" Target="theme/theme1.xml"/>
</Relationships>"""

DOCUMENT = _HEAD + f"""\
<w:document xmlns:w="{W}" xmlns:r="{R}"><w:body>
<w:sectPr><w:pgSz w:w="11906" w:h="16838"/><w:pgMar w:top="0" w:right="0" w:bottom="0" w:left="0" w:header="0" \
w:footer="0" w:gutter="0"/><w:cols w:space="425"/><w:docGrid w:type="lines" w:linePitch="579"/></w:sectPr>
</w:body></w:document>"""

# Style ids and names: the built-in names (Word shows 正文, 标题, 标题 1 … in Chinese) defined the
# GB/T 9704 way, so that a clerk who picks 标题 1 or presses Ctrl+Alt+1 gets a proper heading, never
# Word's blue one; every other built-in style stays hidden (defSemiHidden, no quick-style entry).
# Fonts, sizes, spacing and indents are written by the writer from the profile.
STYLES = _HEAD + f"""\
<w:styles xmlns:w="{W}">
<w:docDefaults><w:rPrDefault><w:rPr/></w:rPrDefault><w:pPrDefault><w:pPr/></w:pPrDefault></w:docDefaults>
<w:latentStyles w:defLockedState="0" w:defUIPriority="99" w:defSemiHidden="1" w:defUnhideWhenUsed="1" \
w:defQFormat="0" w:count="376"/>
<w:style w:type="paragraph" w:default="1" w:styleId="Normal"><w:name w:val="Normal"/><w:qFormat/>\
<w:pPr><w:widowControl w:val="0"/><w:jc w:val="both"/></w:pPr></w:style>
<w:style w:type="character" w:default="1" w:styleId="DefaultParagraphFont"><w:name w:val="Default Paragraph Font"/>\
<w:uiPriority w:val="1"/><w:semiHidden/><w:unhideWhenUsed/></w:style>
<w:style w:type="table" w:default="1" w:styleId="TableNormal"><w:name w:val="Normal Table"/><w:uiPriority w:val="99"/>\
<w:semiHidden/><w:unhideWhenUsed/><w:tblPr><w:tblInd w:w="0" w:type="dxa"/><w:tblCellMar><w:top w:w="0" w:type="dxa"/>\
<w:left w:w="108" w:type="dxa"/><w:bottom w:w="0" w:type="dxa"/><w:right w:w="108" w:type="dxa"/></w:tblCellMar>\
</w:tblPr></w:style>
<w:style w:type="numbering" w:default="1" w:styleId="NoList"><w:name w:val="No List"/><w:uiPriority w:val="99"/>\
<w:semiHidden/><w:unhideWhenUsed/></w:style>
<w:style w:type="paragraph" w:styleId="Title"><w:name w:val="Title"/><w:basedOn w:val="Normal"/>\
<w:next w:val="Normal"/><w:uiPriority w:val="10"/><w:qFormat/><w:pPr><w:jc w:val="center"/></w:pPr></w:style>
<w:style w:type="paragraph" w:styleId="Heading1"><w:name w:val="heading 1"/><w:basedOn w:val="Normal"/>\
<w:next w:val="Normal"/><w:uiPriority w:val="9"/><w:qFormat/><w:pPr><w:keepNext/><w:outlineLvl w:val="0"/></w:pPr></w:style>
<w:style w:type="paragraph" w:styleId="Heading2"><w:name w:val="heading 2"/><w:basedOn w:val="Normal"/>\
<w:next w:val="Normal"/><w:uiPriority w:val="9"/><w:qFormat/><w:pPr><w:keepNext/><w:outlineLvl w:val="1"/></w:pPr></w:style>
<w:style w:type="paragraph" w:styleId="Heading3"><w:name w:val="heading 3"/><w:basedOn w:val="Normal"/>\
<w:next w:val="Normal"/><w:uiPriority w:val="9"/><w:qFormat/><w:pPr><w:keepNext/><w:outlineLvl w:val="2"/></w:pPr></w:style>
<w:style w:type="paragraph" w:styleId="Heading4"><w:name w:val="heading 4"/><w:basedOn w:val="Normal"/>\
<w:next w:val="Normal"/><w:uiPriority w:val="9"/><w:qFormat/><w:pPr><w:keepNext/><w:outlineLvl w:val="3"/></w:pPr></w:style>
<w:style w:type="paragraph" w:customStyle="1" w:styleId="TableText"><w:name w:val="表格文字"/><w:basedOn w:val="Normal"/>\
<w:uiPriority w:val="20"/><w:pPr><w:jc w:val="center"/></w:pPr></w:style>
<w:style w:type="paragraph" w:customStyle="1" w:styleId="TableTextSmall"><w:name w:val="表格小字"/>\
<w:basedOn w:val="TableText"/><w:uiPriority w:val="20"/></w:style>
<w:style w:type="paragraph" w:styleId="Footer"><w:name w:val="footer"/><w:basedOn w:val="Normal"/>\
<w:uiPriority w:val="99"/><w:unhideWhenUsed/></w:style>
</w:styles>"""

# compatibility mode 15 (Word 2013 and later: no 兼容模式); punctuation compressed (只压缩标点符号)
SETTINGS = _HEAD + f"""\
<w:settings xmlns:w="{W}">
<w:zoom w:percent="100"/>
<w:defaultTabStop w:val="420"/>
<w:characterSpacingControl w:val="compressPunctuation"/>
<w:compat><w:compatSetting w:name="compatibilityMode" w:uri="http://schemas.microsoft.com/office/word" w:val="15"/>\
</w:compat>
<w:themeFontLang w:val="en-US" w:eastAsia="zh-CN"/>
<w:decimalSymbol w:val="."/>
<w:listSeparator w:val=","/>
</w:settings>"""

FONT_TABLE = _HEAD + f'<w:fonts xmlns:w="{W}"/>'  # the entries come from the profile's fonts

CORE = _HEAD + """\
<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" \
xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" \
xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"/>"""


def theme(*, latin: str, heading: str, body: str) -> str:
    """word/theme/theme1.xml: Word expects one. Its fonts are the profile's (Word's +中文正文 is the body
    font), and its colours are black and greys, so nothing a clerk picks comes out blue."""
    fill = '<a:solidFill><a:schemeClr val="phClr"/></a:solidFill>'
    line = f'<a:ln w="6350">{fill}</a:ln>'
    colours = "".join(f"<a:{name}><a:srgbClr val=\"{value}\"/></a:{name}>" for name, value in (
        ("dk2", "000000"), ("lt2", "FFFFFF"), ("accent1", "000000"), ("accent2", "404040"), ("accent3", "595959"),
        ("accent4", "7F7F7F"), ("accent5", "A6A6A6"), ("accent6", "262626"), ("hlink", "000000"),
        ("folHlink", "000000")))
    return _HEAD + (
        '<a:theme xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" name="年报助手"><a:themeElements>'
        '<a:clrScheme name="年报助手"><a:dk1><a:sysClr val="windowText" lastClr="000000"/></a:dk1>'
        f'<a:lt1><a:sysClr val="window" lastClr="FFFFFF"/></a:lt1>{colours}</a:clrScheme>'
        '<a:fontScheme name="年报助手">'
        f'<a:majorFont><a:latin typeface="{latin}"/><a:ea typeface="{heading}"/><a:cs typeface=""/></a:majorFont>'
        f'<a:minorFont><a:latin typeface="{latin}"/><a:ea typeface="{body}"/><a:cs typeface=""/></a:minorFont>'
        '</a:fontScheme><a:fmtScheme name="年报助手">'
        f"<a:fillStyleLst>{fill * 3}</a:fillStyleLst><a:lnStyleLst>{line * 3}</a:lnStyleLst>"
        f"<a:effectStyleLst>{'<a:effectStyle><a:effectLst/></a:effectStyle>' * 3}</a:effectStyleLst>"
        f"<a:bgFillStyleLst>{fill * 3}</a:bgFillStyleLst></a:fmtScheme></a:themeElements>"
        "<a:objectDefaults/><a:extraClrSchemeLst/></a:theme>"
    )


def app_properties(application: str, version: str) -> str:
    """docProps/app.xml: the program that wrote the file. ``version`` is "XX.YYYY", the only form the
    schema allows (Word writes 16.0000)."""
    return _HEAD + (
        '<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties">'
        f"<Application>{application}</Application><DocSecurity>0</DocSecurity><AppVersion>{version}</AppVersion>"
        "</Properties>"
    )


PARTS = {
    "[Content_Types].xml": CONTENT_TYPES,
    "_rels/.rels": PACKAGE_RELS,
    "word/_rels/document.xml.rels": DOCUMENT_RELS,
    "word/document.xml": DOCUMENT,
    "word/styles.xml": STYLES,
    "word/settings.xml": SETTINGS,
    "word/fontTable.xml": FONT_TABLE,
    "word/theme/theme1.xml": theme(latin="Times New Roman", heading="黑体", body="仿宋_GB2312"),
    "docProps/core.xml": CORE,
    "docProps/app.xml": app_properties("年报助手", "00.0000"),
}
