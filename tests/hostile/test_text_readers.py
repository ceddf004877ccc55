"""The text readers (.html, .txt, a page or web archive named .doc) against the inputs that made them hang or
take the square of their length: each case in the capped worker, with its exact refusal or read as what it is;
generated mixtures of markup that never closes, in-process under a time bound relative to a small page."""

from __future__ import annotations

import sys
import time

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.hostile import cases
from tests.hostile.capped import assert_refused_cleanly

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="resource limits are POSIX")


@pytest.mark.parametrize("name", list(cases.TEXT_CASES))
def test_each_text_attack(name, worker, tmp_path):
    build, said = cases.TEXT_CASES[name]
    source = build(tmp_path)
    out = tmp_path / "out.nianbao"
    answer = worker.run("import", str(source), "-o", str(out))
    assert answer.seconds < 10, answer.seconds  # the worst took over 20 (never ending, or the square of the length)
    if said is None:  # imported as what it is
        assert answer.code == 0, answer.stderr
        assert out.is_file()
    else:
        assert (answer.code, answer.stderr) == (2, said + "\n")
        assert not out.exists()
    assert_refused_cleanly(answer, allow_success=True)


def test_a_page_reads_up_to_markup_never_closed():
    """What follows an opening that nothing ends is inside it (a comment, a tag), as a browser reads it."""
    from export.reading.html_reader import html_blocks

    assert html_blocks("<p>一、总体情况</p><p>本年度</p><!-- <p>旧文字</p>".encode()) == ["一、总体情况", "本年度"]
    assert html_blocks("<p>一、总体情况</p><p>本年度</p><div class=".encode()) == ["一、总体情况", "本年度"]
    assert html_blocks("<p>甲</p><!-- 注 --><p>乙</p>".encode()) == ["甲", "乙"]
    table = html_blocks(b"<table><tr><td>1</td><td><script>x")[0]
    assert [cell.text for cell in table.row_cells(0)] == ["1", ""]


_PIECES = st.sampled_from(["<!--", "-->", "<![", "]>", "<?", "<a ", '"', "'", "<", ">", "</", "<table>", "<tr>",
                           "<td>", "</td>", "<script>", "</script>", "<p>", "x", "年", "=", " ", "\n", "&", "&#"])


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(unit=st.lists(_PIECES, min_size=1, max_size=6))
def test_generated_markup_reads_in_time_linear_in_its_length(unit):
    """A page of one generated fragment repeated: 40 times the repeats take at most ~40 times as long (plus a
    margin for the noise of a shared machine), never the square; and never an exception but our refusal."""
    from export.reading.blocks import SourceRefused
    from export.reading.html_reader import html_blocks

    def seconds(repeats: int) -> float:
        page = "".join(unit).encode() * repeats
        start = time.perf_counter()
        try:
            html_blocks(page)
        except SourceRefused:
            pass
        return time.perf_counter() - start

    small = min(seconds(500) for _ in range(3))
    assert seconds(20_000) < 40 * small * 4 + 0.5
