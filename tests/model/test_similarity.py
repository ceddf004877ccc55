"""The unchanged-passage measure behind the copied-text warnings and the side-by-side view."""

from __future__ import annotations

import re

from hypothesis import given
from hypothesis import strategies as st

from model.similarity import PASSAGE, fold, longest, overlap, percent


def test_fold_drops_white_space_and_takes_every_number_as_one_sign():
    folded = fold("共 1,136 条。\n全年")
    assert folded.text == "共#条。全年"
    assert [folded.start(i) for i in range(6)] == [0, 2, 8, 9, 11, 12]
    assert [folded.end(i) for i in range(6)] == [1, 7, 9, 10, 12, 13]
    assert fold(" \n").text == "" and fold("12").text == "#"


def test_a_passage_needs_ten_characters():
    last = "甲乙丙丁戊己庚辛壬癸子丑"
    assert overlap("前" + last[:PASSAGE - 1] + "后", last).shared == 0
    found = overlap("前" + last[:PASSAGE] + "后", last)
    assert (found.shared, found.total, found.passages) == (10, 12, ((1, 11),))


def test_passages_are_offsets_into_the_text_as_typed():
    last = "本机关全年主动公开政府信息1136条，公开政府常务会议7期。"
    text = "（一）主动公开。本机关全年 主动公开政府信息\n2428条，公开政府常务会议12期。其他工作。"
    found = overlap(text, last)
    (start, end), = found.passages
    assert text[start:end] == "本机关全年 主动公开政府信息\n2428条，公开政府常务会议12期。"
    assert found.total == len("".join(text.split())) - 4 - 2 + 2  # 2428 and 12 count as one sign each
    assert (found.shared, found.total, found.percent) == (27, 40, 68)  # 67.5 % rounds up


def test_percent_rounds_half_up():
    assert [percent(1, 2), percent(1, 3), percent(2, 3), percent(1, 200), percent(0, 0)] == [50, 33, 67, 1, 0]


def test_memoised_per_text():
    a, b = "一二三四五六七八九十甲乙丙" * 3, "一二三四五六七八九十" * 2
    assert overlap(a, b) is overlap(a, b)
    assert longest(()) is None
    assert longest(((0, 3), (5, 12), (20, 24))) == (5, 12)


TEXTS = st.text(alphabet="甲乙丙丁戊己 1，。", max_size=60)


@given(TEXTS)
def test_every_folded_character_maps_back_to_what_it_folds(text):
    folded = fold(text)
    assert folded.text == re.sub(r"\d+(?:[.,]\d+)*", "#", re.sub(r"\s+", " ", text)).replace(" ", "")
    for i, ch in enumerate(folded.text):
        original = text[folded.start(i):folded.end(i)]
        assert original == ch if ch != "#" else original[0].isdigit() and original[-1].isdigit()


@given(TEXTS, TEXTS)
def test_passages_are_ordered_disjoint_and_inside_the_text(text, last):
    found = overlap(text, last)
    assert 0 <= found.shared <= found.total
    position = 0
    for start, end in found.passages:
        assert position <= start < end <= len(text)
        position = end
    if found.total >= PASSAGE:
        assert overlap(text, text).shared == found.total
