"""What real reports print instead of the template, each built here from the every-cell-distinct
report (never copied from a real report) and read through the one matching core: another wording,
8-digit counts, the 2019 single （六） row in a 2021 table, a trailing "|" cell, labels without their
numbering or with half-width punctuation, table 四's header split, a label wrapped over two rows, a
near-miss label, "承办单位" in a body sentence, a site footer, and the problems a clerk can act on."""

from __future__ import annotations

import re
from decimal import Decimal
from pathlib import Path

import pytest

from export.reading import read_source
from tests.export.pages import report_page, report_text

OTHER_ROWS = ("other_handling.no_correction", "other_handling.unpaid_fee", "other_handling.other")
APPLICANTS = ("natural", "business", "research", "nonprofit", "legal", "other")


def imported(tmp_path: Path, text: str, name: str = "report.txt"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return read_source(path)


def rules(result) -> list[str]:
    return sorted(p.rule for p in result.problems if p.rule != "import.format_guess")


def test_the_plain_text_rendering_reads_back(distinct, tmp_path):
    result = imported(tmp_path, report_text(distinct))
    assert result.report.cells == distinct.cells
    assert result.report.text == distinct.text and result.report.meta == distinct.meta
    assert rules(result) == []
    assert result.recognised[-1] == "表格共166格：读入166格数字，原文空白0格，无法识别0格"


def test_an_older_wording_is_read_under_the_official_label(distinct, tmp_path):
    text = report_text(distinct).replace("| 行政规范性文件 |", "| 规范性文件 |")
    result = imported(tmp_path, text)
    assert result.report.cells == distinct.cells
    (note,) = result.problems[1:]
    assert note.rule == "import.row_variant" and note.severity == "info"
    assert note.message == "表二 第二十条第（一）项：原文“规范性文件”是“行政规范性文件”的另一种写法，已按“行政规范性文件”读入"


def test_eight_digit_counts_with_thousands_separators(distinct, example, tmp_path):
    distinct.set_cells({("art20_5", "licensing", "decisions"): 12_854_581, ("art20_6", "penalty", "decisions"): 3_985_758})
    text = report_text(distinct).replace("12854581", "12,854,581").replace("3985758", "3，985，758")
    result = imported(tmp_path, text)
    assert result.report.cells == distinct.cells and rules(result) == []
    example.set_cells({("art20_5", "other_services", "decisions"): 77_300_440, ("art20_5", "licensing", "decisions"): 12_854_581})
    result = imported(tmp_path, report_text(example).replace("77300440", "77,300,440"), "2019.txt")
    assert result.report.cells == example.cells and rules(result) == []


def test_the_2019_single_other_handling_row_in_a_2021_table(distinct, tmp_path):
    text = report_text(distinct)
    rows = [line for line in text.split("\n") if "（六）其他处理" in line or line.startswith(("| 2.申请人逾期", "| 3.其他"))]
    sums = [sum(distinct.cells[("requests", row, col)] for row in OTHER_ROWS) for col in APPLICANTS]
    single = "| （六）其他处理 | " + " | ".join(str(v) for v in [*sums, sum(sums)]) + " |"
    text = text.replace("\n".join(rows), single)
    result = imported(tmp_path, text)
    expected = {a: v for a, v in distinct.cells.items() if a[1] not in OTHER_ROWS}
    expected.update({("requests", "other_handling.other", col): v for col, v in zip(APPLICANTS, sums, strict=True)})
    assert result.report.cells == expected
    assert rules(result) == ["import.row_variant"]  # no missing rows, no total that disagrees
    assert "原文“（六）其他处理”只有一行（2019年版的印法，没有分列其下各项），其数字已读入“3.其他”" in result.problems[1].message
    assert result.recognised[-1] == "表格共166格：读入154格数字，原文空白0格，无法识别0格，未找到12格"


def test_a_trailing_empty_cell_shifts_nothing(distinct, tmp_path):
    distinct.set_cells({("requests", "received", "research"): None, ("appeals", "review", "pending"): None})
    result = imported(tmp_path, report_text(distinct, trailing_bar=True))
    assert result.report.cells == distinct.cells  # blank stays blank, in its own column
    assert rules(result) == []
    assert result.recognised[-1] == "表格共166格：读入164格数字，原文空白2格，无法识别0格"


_ORDINALS = re.compile(r"\| (?:[一二三四]、|（[一二三四五六七]）|\d\.)(?=[^|\d])")


def test_labels_without_their_numbering(distinct, tmp_path):
    text = _ORDINALS.sub("| ", report_text(distinct))
    assert "| 其他 | 398 |" in text and "| 总计 | 4068 |" in text and "| 本年新收政府信息公开申请数量 |" in text
    result = imported(tmp_path, text)
    assert result.report.cells == distinct.cells
    assert rules(result) == []  # （七）总计 still reconciled: "总计" followed by numbers is the row


def test_half_width_punctuation_and_other_ordinal_marks(distinct, tmp_path):
    text = report_text(distinct)
    text = re.sub(r"\| (\d)\.", r"| \1、", text)
    text = text.replace("（", "(").replace("）", ")").replace("，", ",").replace("“", '"').replace("”", '"')
    text = text.replace("| 一、", "| 一.").replace("| 二、", "| 二.")
    result = imported(tmp_path, text)
    assert result.report.cells == distinct.cells
    assert rules(result) == []


def test_table_four_header_over_lines_and_numbers_in_two_rows(distinct, tmp_path):
    text = report_text(distinct)
    over_lines = text.replace("| 行政复议 | 行政诉讼 |", "| 行政复议 |\n| 行政诉讼 |")
    result = imported(tmp_path, over_lines)
    assert result.report.cells == distinct.cells and rules(result) == []
    numbers = next(line for line in text.split("\n") if line.startswith("| 68 | 165 |"))
    cells = numbers.strip("| ").split(" | ")
    two_rows = over_lines.replace(numbers, "| " + " | ".join(cells[:5]) + " |\n| " + " | ".join(cells[5:]) + " |")
    result = imported(tmp_path, two_rows, "two.txt")
    assert result.report.cells == distinct.cells and rules(result) == []


def test_table_four_header_in_a_table_of_its_own(distinct, tmp_path):
    page = report_page(distinct, messy=False).replace("{charset}", "utf-8")
    start = page.index("<table", page.index("四、政府信息公开行政复议、行政诉讼情况"))
    cut = start
    for _ in range(3):
        cut = page.index("</tr>", cut) + len("</tr>")
    page = page[:cut] + '</tbody></table><p></p><table border="1"><tbody>' + page[cut:]
    result = imported(tmp_path, page, "page.html")
    assert result.report.cells == distinct.cells
    assert rules(result) == []


def test_a_label_wrapped_over_two_rows_and_a_near_miss(distinct, tmp_path):
    text = report_text(distinct)
    text = text.replace("| 4.保护第三方合法权益 |", "| 4.保护第三方 |").replace(
        "| 5.属于三类内部事务信息 |", "|合法权益 | | | | | | | |\n| 5.属于三类内部事务信息 |")
    text = text.replace("| 7.属于行政执法案卷 |", "| 7.属于行政执法卷 |")  # a character lost in print
    result = imported(tmp_path, text)
    assert result.report.cells == distinct.cells
    (near,) = [p for p in result.problems if p.rule == "import.row_variant"]
    assert near.message == "表三：原文“7.属于行政执法卷”与格式的“7.属于行政执法案卷”相近，已按“7.属于行政执法案卷”读入，请核对"
    assert rules(result) == ["import.row_variant"]


def test_a_body_sentence_with_a_footer_word_cuts_nothing(distinct, tmp_path):
    distinct.text["overview"] += "\n（三）政府信息管理情况。收到的申请第一时间转送承办单位，由承办单位按时答复。"
    distinct.text["other_matters"] += "\n联系电话：0739-1234567，地址：示例县人民路1号。"
    result = imported(tmp_path, report_text(distinct))
    assert result.report.text == distinct.text
    assert rules(result) == []


def test_a_site_footer_is_left_out(distinct, tmp_path):
    text = report_text(distinct)
    signature = f"\n{distinct.meta.agency}\n2027年1月22日\n"
    assert text.endswith(signature)
    footer = ("\n主办单位：示例县人民政府办公室　承办单位：示例县大数据中心\n"
              "地址：示例县人民路1号　电话：0739-1234567\n版权所有 网站标识码1234567890 湘ICP备12345678号\n")
    result = imported(tmp_path, text[:-len(signature)] + footer)  # no signature: the footer follows 六
    assert result.report.text["other_matters"] == distinct.text["other_matters"]


def test_totals_name_the_rows_and_cells_not_read(distinct, tmp_path):
    text = report_text(distinct).replace("| 2.重复申请 |", "| 2.某项本地统计 |").replace("| 4322 |", "| 约4322 |")
    result = imported(tmp_path, text)
    messages = [p.message for p in result.problems]
    assert ("表三 （七）总计 · 自然人：原文合计为4068，各项相加为3832；其中“2.重复申请”行未能读入，相加时未计；"
            "已按各项重新计算合计") in messages
    assert ("表三 一、本年新收政府信息公开申请数量 · 总计：原文合计为25053，各项相加为20731；"
            "其中“自然人”未能读入，相加时未计；已按各项重新计算合计") in messages
    assert "未找到表三的“2.重复申请”行" in messages
    assert any(p.rule == "import.extra_row" and "2.某项本地统计" in p.message for p in result.problems)
    assert result.recognised[-1] == "表格共166格：读入159格数字，原文空白0格，无法识别1格，未找到6格"


def test_a_row_whose_numbers_cannot_be_placed_is_not_guessed(distinct, tmp_path):
    text = report_text(distinct).replace("| 2.重复申请 | 236 | 373 |", "| 2.重复申请 | 236373 |")
    result = imported(tmp_path, text)
    assert not any(a[1] == "rejected.duplicate" for a in result.report.cells)
    assert "未找到表三“2.重复申请”行的全部数字（找到6个，应有7个：236373、95、110、273、343、1430），此行未读入" in [
        p.message for p in result.problems]


@pytest.mark.parametrize("amount", ["5949.088667", "5,949.088667"])
def test_amounts_keep_their_decimals(distinct, tmp_path, amount):
    result = imported(tmp_path, report_text(distinct).replace("5949.088667", amount))
    assert result.report.cells[("art20_8", "fees", "amount")] == Decimal("5949.088667")


def test_a_signature_dated_in_chinese_numerals(distinct, tmp_path):
    text = report_text(distinct).replace("2027年1月22日", "二〇二七年一月二十二日")
    result = imported(tmp_path, text)
    assert result.report.meta == distinct.meta and result.report.text == distinct.text


def test_a_group_and_its_row_in_one_cell_and_a_year_from_the_period(distinct, tmp_path):
    text = report_text(distinct)
    text = text.replace("| （三）不予公开 | 1.属于国家秘密 |", "| （三）不予公开 1.属于国家秘密 |")
    text = text.replace("| （四）无法提供 | 1.本机关不掌握相关政府信息 |", "| （四）无法提供1.本机关不掌握相关政府信息 |")
    text = text.replace(distinct.title, "政府信息公开工作年度报告")  # no year in the title
    result = imported(tmp_path, text)
    assert result.report.cells == distinct.cells and rules(result) == []
    assert result.report.meta.year == 2026  # "统计期限自2026年1月1日起至2026年12月31日止"
