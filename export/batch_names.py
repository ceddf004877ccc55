"""Agency names as a 公开办 meets them: the same unit written in full, short or renamed.

A unit signs its report with its full name (城步苗族自治县商务局, 儒林镇人民政府); a list or last
year's title may use a short one (县商务局, 城步县商务局, 儒林镇, 茅坪镇政府). Names are compared
in passes, each on the names the passes before left unmatched:

- **the same name**: equal once widths are folded, white space and brackets removed, and the
  government's name written one way (``unit_key``): 儒林镇, 儒林镇政府 and 儒林镇人民政府 are one
  name, as are 县政府 and 县人民政府;
- **a guess by the shared part**: the longest *core* both names share — what follows a region word
  (…省, …市, …县, …区, …州, …旗, …盟) — of at least three characters, and only when exactly one
  name on each side has it. 城步苗族自治县商务局 and 县商务局 share 商务局; 城步县白毛坪镇 and
  白毛坪镇人民政府 share 白毛坪镇人民政府; 城步县城市管理局 and 县城市管理局 share 城市管理局 (the
  longest core wins, not 管理局);
- **a guess by a township's new name**: 白毛坪乡人民政府 and 白毛坪镇人民政府 differ only in 乡/镇
  (a 乡 made a 镇, often when townships merge);
- **a guess by a short form**: one name's core is the other's with characters left out, the first
  and last kept — 发改局 in 发展和改革局, 人社局 in 人力资源和社会保障局, 市场监管局 in
  市场监督管理局.

A guess is always shown as one, with what it rests on (``Match.basis``).
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

_REGION_MARKS = "省市县区州旗盟"
_DROP = re.compile(r"[\s\"'“”‘’()（）\[\]【】〔〕<>《》·・.,，、:：;；_-]+")
MIN_CORE = 3
_LEVEL_GOVERNMENT = re.compile(r"^(?P<region>.+?(?:自治区|自治州|自治县|自治旗|特区|林区|地区|省|市|州|盟|县|区|旗))人民政府$")
_TOWNSHIP = re.compile(r"(?:镇|乡|街道|苏木)$")
_TOWNSHIP_GOVERNMENT = re.compile(r"^(?P<place>.+(?:镇|乡|苏木))(?:人民政府|政府)?$")
_STREET_OFFICE = re.compile(r"^(?P<place>.+街道)(?:办事处)?$")
_GOVERNMENT = re.compile(r"(?<!人民)政府")
_TOWNSHIP_WORD = re.compile(r"(?:镇|乡)(?=人民政府$)")
_TOWNSHIP_MARK = "〇"  # stands for 乡 or 镇 in a township-change key

EXACT = "exact"
GUESS = "guess"
# what a guess rests on
SHARED, TOWNSHIP, SHORT_FORM = "", "township", "short_form"


def normal_name(name: str) -> str:
    """A name as compared: widths folded, white space, quotes, brackets and punctuation removed."""
    return _DROP.sub("", unicodedata.normalize("NFKC", name or ""))


def unit_key(name: str) -> str:
    """The name written one way: a township's government as …镇人民政府 (儒林镇, 儒林镇政府), a
    street office as …街道办事处, any other 政府 as 人民政府 (县政府 → 县人民政府)."""
    text = normal_name(name)
    township = _TOWNSHIP_GOVERNMENT.match(text)
    if township and len(township.group("place")) >= 2:
        return township.group("place") + "人民政府"
    street = _STREET_OFFICE.match(text)
    if street and len(street.group("place")) >= 3:
        return street.group("place") + "办事处"
    return _GOVERNMENT.sub("人民政府", text)


def cores(name: str) -> list[str]:
    """The name and each part after a region word, longest first (at least MIN_CORE characters)."""
    text = normal_name(name)
    found = [text] if len(text) >= MIN_CORE else []
    for i, ch in enumerate(text[:-1]):
        if ch in _REGION_MARKS and len(text) - i - 1 >= MIN_CORE:
            found.append(text[i + 1:])
    return found


@dataclass(frozen=True)
class Match:
    left: int  # index into the left list
    right: int  # index into the right list
    how: str  # EXACT or GUESS
    shared: str = ""  # for a guess: the part both names share (a township change: the place's name, 白毛坪)
    basis: str = SHARED  # for a guess: SHARED, TOWNSHIP or SHORT_FORM

    @property
    def reason(self) -> str:
        """What a guess rests on, in the clerk's words."""
        if self.basis == TOWNSHIP:
            return "两者只差“乡”“镇”（撤乡设镇或乡镇合并？）"
        if self.basis == SHORT_FORM:
            return f"“{self.shared}”像是简称"
        return f"共同部分为“{self.shared}”"

    @property
    def label(self) -> str:
        """A guess in two words, for a list: 名称不同, 乡镇名称变化, 简称."""
        return {TOWNSHIP: "乡镇名称变化", SHORT_FORM: "简称"}.get(self.basis, "名称不同")


Keys = dict[int, list[str]]


def match_names(left: Sequence[str], right: Sequence[str]) -> list[Match]:
    """Pair names of two lists, one to one: the same name first, then unambiguous guesses."""
    matches: list[Match] = []
    free_right: dict[str, list[int]] = {}
    for j, name in enumerate(right):
        free_right.setdefault(unit_key(name), []).append(j)
    unmatched = []
    for i, name in enumerate(left):
        key = unit_key(name)
        candidates = free_right.get(key)
        if key and candidates:
            matches.append(Match(i, candidates.pop(0), EXACT))
        else:
            unmatched.append(i)
    taken = {m.right for m in matches}
    free = [j for j in range(len(right)) if j not in taken]
    for keys, basis in ((lambda name: cores(unit_key(name)), SHARED), (_township_cores, TOWNSHIP)):
        found = _guess_by_keys({i: keys(left[i]) for i in unmatched}, {j: keys(right[j]) for j in free})
        matches += [Match(i, j, GUESS, shared.split(_TOWNSHIP_MARK)[0], basis) for i, j, shared in found]
        done_left, done_right = {i for i, _j, _s in found}, {j for _i, j, _s in found}
        unmatched = [i for i in unmatched if i not in done_left]
        free = [j for j in free if j not in done_right]
    found = _guess_short_forms({i: cores(unit_key(left[i])) for i in unmatched},
                               {j: cores(unit_key(right[j])) for j in free})
    matches += [Match(i, j, GUESS, shared, SHORT_FORM) for i, j, shared in found]
    return sorted(matches, key=lambda m: m.left)


def _township_cores(name: str) -> list[str]:
    """A township government's cores with its 乡/镇 blurred (白毛坪乡人民政府 → 白毛坪〇人民政府); [] for
    any other name."""
    key = unit_key(name)
    blurred = _TOWNSHIP_WORD.sub(_TOWNSHIP_MARK, key)
    return cores(blurred) if blurred != key else []


def _unambiguous(proposals: dict[int, list[tuple[int, str]]]) -> list[tuple[int, int, str]]:
    """(left, right, shared) for each right name exactly one left name proposed."""
    return [(proposed[0][0], j, proposed[0][1]) for j, proposed in sorted(proposals.items()) if len(proposed) == 1]


def _guess_by_keys(left: Keys, right: Keys) -> list[tuple[int, int, str]]:
    """The longest key a left name shares with exactly one right name, kept when no other left name
    proposes that right name."""
    index: dict[str, set[int]] = {}
    for j, keys in right.items():
        for key in keys:
            index.setdefault(key, set()).add(j)
    proposals: dict[int, list[tuple[int, str]]] = {}
    for i, keys in left.items():
        for key in keys:
            found = index.get(key)
            if found:
                if len(found) == 1:
                    proposals.setdefault(next(iter(found)), []).append((i, key))
                break  # the longest shared key decides; two names having it is no match
    return _unambiguous(proposals)


_NOT_LEFT_OUT = set("省县区州旗盟镇乡")  # a short form drops words, never a place (市 stays: 城市, 市场)


def is_short_form(short: str, long: str) -> bool:
    """``short`` is ``long`` with characters left out, its first and last kept (发改局, 发展和改革局);
    never a government (named by its place, not shortened) nor a name that drops a place
    (城步苗族自治县人民政府 is not short for 城步苗族自治县丹口镇人民政府)."""
    if len(short) < MIN_CORE or len(short) >= len(long) or short[0] != long[0] or short[-1] != long[-1]:
        return False
    if long.endswith("人民政府"):
        return False
    at = 0
    for ch in short:
        found = long.find(ch, at)
        if found < 0 or _NOT_LEFT_OUT.intersection(long[at:found]):
            return False
        at = found + 1
    return True


def _guess_short_forms(left: Keys, right: Keys) -> list[tuple[int, int, str]]:
    """A left name whose core is a short form of exactly one right name's (or the other way round)."""
    buckets: dict[tuple[str, str], list[tuple[int, str]]] = {}
    for j, keys in right.items():
        for key in keys:
            buckets.setdefault((key[0], key[-1]), []).append((j, key))
    proposals: dict[int, list[tuple[int, str]]] = {}
    for i, keys in left.items():
        hits: dict[int, str] = {}
        for key in keys:
            for j, other in buckets.get((key[0], key[-1]), ()):
                if j not in hits and (is_short_form(key, other) or is_short_form(other, key)):
                    hits[j] = min(key, other, key=len)
        if len(hits) == 1:
            ((j, shared),) = hits.items()
            proposals.setdefault(j, []).append((i, shared))
    return _unambiguous(proposals)


# ---- regions ------------------------------------------------------------------------------------


def leading_regions(name: str) -> list[str]:
    """The region words a name begins with, shortest first (淮安市洪泽区人民政府 → 淮安市, 淮安市洪泽区);
    a mark right after a mark is the unit's own (邵阳市市场监督管理局 → 邵阳市)."""
    text = normal_name(name)
    return [text[:end] for end in range(2, len(text)) if text[end - 1] in _REGION_MARKS and text[end - 2] not in _REGION_MARKS]


def same_region(a: str, b: str) -> bool:
    """One region, written in full or short: 城步苗族自治县 and 城步县 (the same first two characters
    and the same kind of region)."""
    return a == b or (len(a) >= 2 and len(b) >= 2 and a[:2] == b[:2] and a[-1] == b[-1])


def region_of(name: str) -> str:
    """The region a level government governs (城步苗族自治县人民政府 → 城步苗族自治县), or ""."""
    match = _LEVEL_GOVERNMENT.match(unit_key(name))
    if not match or _TOWNSHIP.search(match.group("region")):
        return ""
    return match.group("region")


def _governs(region: str, others: Sequence[str]) -> int | None:
    """How many of the other names lie in the region (None: none of them names a region at all,
    so nothing speaks for or against it)."""
    regions = [leading_regions(other) for other in others]
    if not any(regions):
        return None
    return sum(1 for found in regions if any(same_region(region, r) or r.startswith(region) for r in found))


def find_level_government(names: Sequence[str]) -> int | None:
    """Which of the names is the 本级政府 whose report sums the others, if one clearly is.

    A county-or-above 人民政府 (not a township) of the region the other names lie in — a 人民政府 of
    another region (a report kept for reference) is not it; among several, the one whose region
    holds the most other names (a city above its districts); none when that does not decide.
    """
    scored = []
    for i, name in enumerate(names):
        region = region_of(name)
        if region:
            held = _governs(region, [other for k, other in enumerate(names) if k != i])
            if held != 0:
                scored.append((held or 0, i))
    scored.sort(reverse=True)
    if len(scored) == 1 or (len(scored) > 1 and scored[0][0] > scored[1][0]):
        return scored[0][1]
    return None


def common_region(names: Sequence[str]) -> str:
    """The region all names begin with (城步苗族自治县商务局, 城步苗族自治县教育局 → 城步苗族自治县)."""
    normal = [normal_name(name) for name in names if normal_name(name)]
    if not normal:
        return ""
    prefix = normal[0]
    for name in normal[1:]:
        while not name.startswith(prefix):
            prefix = prefix[:-1]
    for end in range(len(prefix), 1, -1):
        # "邵阳市市场监督管理局" and "邵阳市市政局" share "邵阳市市": a mark after a mark is the unit's own
        if prefix[end - 1] in _REGION_MARKS and prefix[end - 2] not in _REGION_MARKS:
            return prefix[:end]
    return ""


def majority_region(names: Sequence[str]) -> tuple[str, int]:
    """The region most names begin with, when more than half of them do, and how many do;
    ("", 0) otherwise. Of two regions held by as many names, the longer (the county in its city)."""
    counts: Counter[str] = Counter()
    named = [name for name in names if normal_name(name)]
    for name in named:
        counts.update(set(leading_regions(name)))
    if not counts:
        return "", 0
    region, count = max(counts.items(), key=lambda item: (item[1], len(item[0])))
    return (region, count) if count * 2 > len(named) else ("", 0)


def level_government_name(names: Sequence[str]) -> str:
    """The 本级政府 of units that all name the same region, e.g. 城步苗族自治县人民政府; or ""."""
    region = common_region(names)
    return f"{region}人民政府" if region else ""


def pinyin_key(text: str) -> bytes:
    """A sort key in 拼音 order for the common characters (GB2312's first level is ordered by 拼音)."""
    return normal_name(text).encode("gb18030", errors="replace")

