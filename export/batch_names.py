"""Agency names as a 公开办 meets them: the same unit written in full, short or renamed.

A unit signs its report with its full name (城步苗族自治县商务局), a list or last year's title may
use a short one (县商务局, 城步县商务局). Names are compared in two steps:

- **the same name**: equal once widths are folded and white space and brackets are removed;
- **a guess**: the longest *core* both names share — what follows a region word (…省, …市, …县,
  …区, …州, …旗, …盟) — of at least three characters, and only when exactly one name on each side
  has it. 城步苗族自治县商务局 and 县商务局 share 商务局; 城步县城市管理局 and 县城市管理局 share
  城市管理局 (the longest core wins, not 管理局). A guess is always shown as one.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass

_REGION_MARKS = "省市县区州旗盟"
_DROP = re.compile(r"[\s\"'“”‘’()（）\[\]【】〔〕<>《》·・.,，、:：;；_-]+")
MIN_CORE = 3
_LEVEL_GOVERNMENT = re.compile(r"^(?P<region>.+?(?:自治区|自治州|自治县|自治旗|特区|林区|地区|省|市|州|盟|县|区|旗))人民政府$")
_TOWNSHIP = re.compile(r"(?:镇|乡|街道|苏木)$")

EXACT = "exact"
GUESS = "guess"


def normal_name(name: str) -> str:
    """A name as compared: widths folded, white space, quotes, brackets and punctuation removed."""
    return _DROP.sub("", unicodedata.normalize("NFKC", name or ""))


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
    shared: str = ""  # for a guess: the core both names share


def match_names(left: Sequence[str], right: Sequence[str]) -> list[Match]:
    """Pair names of two lists, one to one: the same name first, then unambiguous guesses."""
    matches: list[Match] = []
    free_right: dict[str, list[int]] = {}
    for j, name in enumerate(right):
        free_right.setdefault(normal_name(name), []).append(j)
    unmatched_left = []
    for i, name in enumerate(left):
        candidates = free_right.get(normal_name(name))
        if normal_name(name) and candidates:
            matches.append(Match(i, candidates.pop(0), EXACT))
        else:
            unmatched_left.append(i)
    taken = {m.right for m in matches}
    index: dict[str, set[int]] = {}
    for j, name in enumerate(right):
        if j not in taken:
            for core in cores(name):
                index.setdefault(core, set()).add(j)
    proposals: dict[int, list[tuple[int, str]]] = {}
    for i in unmatched_left:
        for core in cores(left[i]):
            found = index.get(core)
            if found:
                if len(found) == 1:
                    proposals.setdefault(next(iter(found)), []).append((i, core))
                break  # the longest shared core decides; two names having it is no match
    for j, proposed in sorted(proposals.items()):
        if len(proposed) == 1:
            i, core = proposed[0]
            matches.append(Match(i, j, GUESS, core))
    return sorted(matches, key=lambda m: m.left)


def region_of(name: str) -> str:
    """The region a level government governs (城步苗族自治县人民政府 → 城步苗族自治县), or ""."""
    match = _LEVEL_GOVERNMENT.match(normal_name(name))
    if not match or _TOWNSHIP.search(match.group("region")):
        return ""
    return match.group("region")


def find_level_government(names: Sequence[str]) -> int | None:
    """Which of the names is the 本级政府 whose report sums the others, if one clearly is.

    A county-or-above 人民政府 (not a township); among several, the one whose region begins the
    most other names (a city above its districts); none when that does not decide.
    """
    candidates = [(i, region_of(name)) for i, name in enumerate(names)]
    candidates = [(i, region) for i, region in candidates if region]
    if len(candidates) <= 1:
        return candidates[0][0] if candidates else None
    normal = [normal_name(name) for name in names]
    scored = sorted(((sum(1 for k, other in enumerate(normal) if k != i and other.startswith(region)), i)
                     for i, region in candidates), reverse=True)
    if scored[0][0] > scored[1][0]:
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


def level_government_name(names: Sequence[str]) -> str:
    """The 本级政府 of units that all name the same region, e.g. 城步苗族自治县人民政府; or ""."""
    region = common_region(names)
    return f"{region}人民政府" if region else ""
