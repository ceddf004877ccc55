"""Layouts: spans and cell kinds of each table as the official template draws them."""

from __future__ import annotations

import pytest

from model.formats import GOV_2019, GOV_2021, Role


def _cell(layout, row, col):
    cell = layout.at(row, col)
    assert cell is not None
    return cell


def _covers_once(layout):
    seen = set()
    for cell in layout.cells:
        for r in range(cell.row, cell.row + cell.rowspan):
            for c in range(cell.col, cell.col + cell.colspan):
                assert (r, c) not in seen
                seen.add((r, c))
    assert seen == {(r, c) for r in range(layout.n_rows) for c in range(layout.n_cols)}


@pytest.mark.parametrize("fmt", [GOV_2019, GOV_2021], ids=lambda f: f.id)
def test_every_grid_position_covered_exactly_once(fmt):
    for layout in fmt.layouts.values():
        _covers_once(layout)


@pytest.mark.parametrize(("fmt", "number_rows"), [(GOV_2019, 23), (GOV_2021, 25)], ids=["2019", "2021"])
def test_requests_layout(fmt, number_rows):
    layout = fmt.layouts["requests"]
    assert layout.label_cols == 3
    assert layout.n_cols == 10  # 3 label columns, 7 number columns
    assert layout.header_rows == 3
    assert layout.n_rows == 3 + number_rows
    corner = _cell(layout, 0, 0)
    assert (corner.rowspan, corner.colspan, corner.role) == (3, 3, Role.HEADER)
    assert corner.text.startswith("（本列数据的勾稽关系为")
    assert (_cell(layout, 0, 3).text, _cell(layout, 0, 3).colspan) == ("申请人情况", 7)
    natural = _cell(layout, 1, 3)
    assert (natural.text, natural.rowspan) == ("自然人", 2)
    legal_persons = _cell(layout, 1, 4)
    assert (legal_persons.text, legal_persons.colspan) == ("法人或其他组织", 5)
    assert [_cell(layout, 2, c).text for c in range(4, 9)] == ["商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他"]
    assert (_cell(layout, 1, 9).text, _cell(layout, 1, 9).rowspan) == ("总计", 2)
    received = _cell(layout, 3, 0)
    assert (received.text, received.colspan) == ("一、本年新收政府信息公开申请数量", 3)
    results = _cell(layout, 5, 0)
    assert results.text == "三、本年度办理结果"
    assert results.rowspan == number_rows - 3  # every outcome row and （七）总计
    denied = _cell(layout, 7, 1)
    assert (denied.text, denied.rowspan) == ("（三）不予公开", 8)
    assert (_cell(layout, 15, 1).text, _cell(layout, 15, 1).rowspan) == ("（四）无法提供", 3)
    assert (_cell(layout, 18, 1).text, _cell(layout, 18, 1).rowspan) == ("（五）不予处理", 5)
    other = _cell(layout, 23, 1)
    if fmt is GOV_2019:
        assert (other.text, other.colspan, other.rowspan) == ("（六）其他处理", 2, 1)
    else:
        assert (other.text, other.colspan, other.rowspan) == ("（六）其他处理", 1, 3)
        assert _cell(layout, 25, 2).text == "3.其他"
    total_row = layout.n_rows - 2
    assert (_cell(layout, total_row, 1).text, _cell(layout, total_row, 1).colspan) == ("（七）总计", 2)
    assert _cell(layout, layout.n_rows - 1, 0).text == "四、结转下年度继续办理"
    # kinds: the 总计 column and the （七）总计 row are derived, the rest typed
    for r in range(3, layout.n_rows):
        roles = [_cell(layout, r, c).role for c in range(3, 10)]
        if r == total_row:
            assert roles == [Role.DERIVED] * 7
        else:
            assert roles == [Role.INPUT] * 6 + [Role.DERIVED]
    assert layout.positions[("requests", "carried_out", "legal")] == (layout.n_rows - 1, 7)


@pytest.mark.parametrize("fmt", [GOV_2019, GOV_2021], ids=lambda f: f.id)
def test_appeals_layout(fmt):
    layout = fmt.layouts["appeals"]
    assert (layout.n_rows, layout.n_cols, layout.header_rows) == (4, 15, 3)
    assert (_cell(layout, 0, 0).text, _cell(layout, 0, 0).colspan) == ("行政复议", 5)
    assert (_cell(layout, 0, 5).text, _cell(layout, 0, 5).colspan) == ("行政诉讼", 10)
    for c, label in enumerate(["结果维持", "结果纠正", "其他结果", "尚未审结", "总计"]):
        cell = _cell(layout, 1, c)
        assert (cell.text, cell.rowspan) == (label, 2)
        assert _cell(layout, 2, 5 + c).text == label
        assert _cell(layout, 2, 10 + c).text == label
    assert (_cell(layout, 1, 5).text, _cell(layout, 1, 5).colspan) == ("未经复议直接起诉", 5)
    assert (_cell(layout, 1, 10).text, _cell(layout, 1, 10).colspan) == ("复议后起诉", 5)
    numbers = [_cell(layout, 3, c) for c in range(15)]
    assert [cell.address for cell in numbers[:5]] == [
        ("appeals", "review", k) for k in ("upheld", "corrected", "other", "pending", "total")
    ]
    assert numbers[9].address == ("appeals", "suit_direct", "total")
    assert numbers[14].address == ("appeals", "suit_after_review", "total")
    assert [c.role for c in numbers] == ([Role.INPUT] * 4 + [Role.DERIVED]) * 3


def test_proactive_layout_2021():
    layout = GOV_2021.layouts["proactive"]
    assert layout.n_cols == 4
    texts = [[_cell(layout, r, c).text if not _cell(layout, r, c).is_value else "#" for c in range(4)] for r in range(layout.n_rows)]
    assert texts == [
        ["第二十条第（一）项"] * 4,
        ["信息内容", "本年制发件数", "本年废止件数", "现行有效件数"],
        ["规章", "#", "#", "#"],
        ["行政规范性文件", "#", "#", "#"],
        ["第二十条第（五）项"] * 4,
        ["信息内容"] + ["本年处理决定数量"] * 3,
        ["行政许可", "#", "#", "#"],
        ["第二十条第（六）项"] * 4,
        ["信息内容"] + ["本年处理决定数量"] * 3,
        ["行政处罚", "#", "#", "#"],
        ["行政强制", "#", "#", "#"],
        ["第二十条第（八）项"] * 4,
        ["信息内容"] + ["本年收费金额（单位：万元）"] * 3,
        ["行政事业性收费", "#", "#", "#"],
    ]
    licensing = _cell(layout, 6, 1)
    assert (licensing.colspan, licensing.address) == (3, ("art20_5", "licensing", "decisions"))
    assert _cell(layout, 0, 0).role is Role.HEADING
    assert all(cell.role is Role.INPUT for cell in layout.value_cells())


def test_proactive_layout_2019():
    layout = GOV_2019.layouts["proactive"]
    assert layout.n_rows == 5 * 2 + 2 + 2 + 2 + 1 + 1
    fees_header = [_cell(layout, 13, c) for c in range(4)]
    assert fees_header[1].text == "上一年项目数量" and fees_header[1].colspan == 1
    assert fees_header[2].text == "本年增/减" and fees_header[2].colspan == 2
    procurement = _cell(layout, 17, 2)
    assert procurement.address == ("art20_9", "procurement", "amount")
    assert (procurement.col, procurement.colspan) == (2, 2)
    assert [_cell(layout, 16, c).text for c in range(4)] == ["信息内容", "采购项目数量", "采购总金额", "采购总金额"]
