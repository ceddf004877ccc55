"""Agency names: the same unit written in full, short or with another region form."""

from __future__ import annotations

from export.batch_names import (
    EXACT,
    GUESS,
    Match,
    common_region,
    cores,
    find_level_government,
    level_government_name,
    match_names,
    normal_name,
    region_of,
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
