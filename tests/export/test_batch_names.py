"""Agency names: the same unit written in full, short or with another region form."""

from __future__ import annotations

from export.batch_names import (
    EXACT,
    GUESS,
    SHARED,
    SHORT_FORM,
    TOWNSHIP,
    Match,
    common_region,
    cores,
    find_level_government,
    is_short_form,
    leading_regions,
    level_government_name,
    majority_region,
    match_names,
    normal_name,
    pinyin_key,
    region_of,
    same_region,
    unit_key,
)


def test_normal_name_folds_widths_spaces_and_brackets():
    assert normal_name(" 城步苗族自治县 商务局（县粮食局） ") == "城步苗族自治县商务局县粮食局"
    assert normal_name("ＡＢ局") == "AB局"


def test_cores_follow_region_words_longest_first():
    assert cores("城步苗族自治县城市管理局") == ["城步苗族自治县城市管理局", "城市管理局", "管理局"]
    assert cores("儒林镇人民政府") == ["儒林镇人民政府"]
    assert cores("市场监督管理局") == ["市场监督管理局", "场监督管理局"]


def test_match_exact_then_unambiguous_guesses():
    this = ["城步苗族自治县商务局", "城步苗族自治县城市管理局", "城步苗族自治县教育局", "儒林镇人民政府", "城步苗族自治县人民政府"]
    last = ["县商务局", "县城市管理局", "儒林镇人民政府", "县人民政府", "县卫生健康局"]
    assert match_names(this, last) == [
        Match(0, 0, GUESS, "商务局"),
        Match(1, 1, GUESS, "城市管理局"),  # the longest shared part, not 管理局
        Match(3, 2, EXACT),
        Match(4, 3, GUESS, "人民政府"),
    ]


def test_no_guess_when_two_names_share_the_part():
    assert match_names(["县教育局"], ["甲县教育局", "乙县教育局"]) == []
    assert match_names(["甲县教育局", "乙县教育局"], ["县教育局"]) == []
    assert match_names(["甲县教育局", "乙县教育局"], ["乙县教育局"]) == [Match(1, 0, EXACT)]


def test_short_parts_are_no_match():
    assert match_names(["县局"], ["城步县局"]) == []
    assert match_names([""], [""]) == []


def test_the_level_government():
    assert region_of("城步苗族自治县人民政府") == "城步苗族自治县"
    assert region_of("儒林镇人民政府") == ""
    assert region_of("城步苗族自治县人民政府办公室") == ""
    names = ["城步苗族自治县商务局", "城步苗族自治县人民政府", "儒林镇人民政府"]
    assert find_level_government(names) == 1
    city = ["邵阳市人民政府", "邵阳市商务局", "邵阳市双清区人民政府", "大祥区人民政府"]
    assert find_level_government(city) == 0  # its region begins the most other names
    assert find_level_government(["甲县人民政府", "乙县人民政府"]) is None
    assert find_level_government(["城步苗族自治县商务局"]) is None


def test_the_region_units_share():
    assert common_region(["城步苗族自治县商务局", "城步苗族自治县教育局"]) == "城步苗族自治县"
    assert common_region(["城步苗族自治县城市管理局", "城步苗族自治县城乡建设局"]) == "城步苗族自治县"
    assert common_region(["邵阳市市场监督管理局", "邵阳市市政局"]) == "邵阳市"
    assert common_region(["城步县商务局", "儒林镇人民政府"]) == ""
    assert level_government_name(["湖南省邵阳市商务局", "湖南省邵阳市教育局"]) == "湖南省邵阳市人民政府"


def test_a_government_written_short_is_the_same_name():
    assert unit_key("儒林镇") == unit_key("儒林镇政府") == unit_key("儒林镇人民政府") == "儒林镇人民政府"
    assert unit_key("县政府") == "县人民政府"
    assert unit_key("县政府办公室") == "县人民政府办公室"
    assert unit_key("城关街道") == unit_key("城关街道办事处") == "城关街道办事处"
    assert unit_key("城步苗族自治县商务局") == "城步苗族自治县商务局"
    listed = ["儒林镇", "茅坪镇政府", "城步县白毛坪镇", "城步苗族自治县丹口镇人民政府", "兰蓉乡"]
    signed = ["丹口镇人民政府", "白毛坪镇人民政府", "茅坪镇人民政府", "儒林镇人民政府"]
    assert match_names(listed, signed) == [
        Match(0, 3, EXACT),
        Match(1, 2, EXACT),
        Match(2, 1, GUESS, "白毛坪镇人民政府"),  # a county written before the township: a guess
        Match(3, 0, GUESS, "丹口镇人民政府"),
    ]


def test_a_township_made_a_town_is_a_guess_said_as_such():
    (match,) = match_names(["白毛坪乡人民政府", "金紫乡人民政府"], ["白毛坪镇人民政府"])
    assert match == Match(0, 0, GUESS, "白毛坪", TOWNSHIP)
    assert match.label == "乡镇名称变化"
    assert match.reason == "两者只差“乡”“镇”（撤乡设镇或乡镇合并？）"
    assert match_names(["城步县白毛坪乡"], ["白毛坪镇人民政府"]) == [Match(0, 0, GUESS, "白毛坪", TOWNSHIP)]
    # two reports the 乡 could have become: which one is meant cannot be told
    assert match_names(["白毛坪乡"], ["白毛坪镇", "城步县白毛坪镇"]) == []
    # exact names first: a 乡 with its own report is not taken for the 镇
    assert match_names(["白毛坪乡", "白毛坪镇"], ["白毛坪镇人民政府", "白毛坪乡人民政府"]) == [
        Match(0, 1, EXACT), Match(1, 0, EXACT)]


def test_short_forms_are_guesses():
    full = ["城步苗族自治县发展和改革局", "城步苗族自治县人力资源和社会保障局", "城步苗族自治县市场监督管理局",
            "城步苗族自治县民族宗教事务局", "城步苗族自治县民政局"]
    matches = match_names(["县发改局", "县人社局", "县市场监管局", "县民宗局", "县民政局"], full)
    assert [(m.left, m.right, m.how, m.basis) for m in matches] == [
        (0, 0, GUESS, SHORT_FORM), (1, 1, GUESS, SHORT_FORM), (2, 2, GUESS, SHORT_FORM), (3, 3, GUESS, SHORT_FORM),
        (4, 4, GUESS, SHARED)]
    assert matches[0].label == "简称" and matches[0].reason == "“发改局”像是简称"
    assert is_short_form("城管局", "城市管理和综合执法局")
    assert not is_short_form("城步苗族自治县人民政府", "城步苗族自治县丹口镇人民政府")  # a place is never left out
    assert not is_short_form("县人民政府", "城步县人民政府")  # a government is named by its place
    assert not is_short_form("教育局", "教育局")
    assert match_names(["县民政局"], ["城步县民族宗教事务局"]) == []  # 政 is not in 民族宗教事务局


def test_the_level_government_lies_in_the_units_region():
    # a 人民政府 of another region, kept for reference, is not the 本级
    assert find_level_government(["淮安市洪泽区人民政府", "城步苗族自治县商务局", "儒林镇人民政府"]) is None
    assert find_level_government(["城步县人民政府", "城步苗族自治县商务局"]) == 0  # 城步县 is 城步苗族自治县
    assert find_level_government(["城步苗族自治县人民政府", "县商务局", "儒林镇人民政府"]) == 0  # no region said
    assert find_level_government(["城步苗族自治县政府", "城步苗族自治县商务局"]) == 0


def test_regions():
    assert leading_regions("淮安市洪泽区人民政府") == ["淮安市", "淮安市洪泽区"]
    assert leading_regions("邵阳市市场监督管理局") == ["邵阳市"]
    assert leading_regions("县商务局") == []
    assert same_region("城步县", "城步苗族自治县") and not same_region("城步县", "城北县")
    names = ["城步苗族自治县商务局", "城步苗族自治县教育局", "儒林镇人民政府", "邵阳市生态环境局城步分局"]
    assert majority_region(names) == ("", 0)  # two of four: not a majority
    assert majority_region([*names, "城步苗族自治县财政局"]) == ("城步苗族自治县", 3)
    assert majority_region(["湖南省邵阳市商务局", "湖南省邵阳市教育局"]) == ("湖南省邵阳市", 2)


def test_pinyin_order():
    assert sorted(["商务局", "教育局", "财政局", "儒林镇人民政府"], key=pinyin_key) == [
        "财政局", "教育局", "儒林镇人民政府", "商务局"]
