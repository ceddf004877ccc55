"""`nianbao new-year` (spec/interfaces.md): the output file, exit codes, refusals."""

from __future__ import annotations

import json
from pathlib import Path

from model import store
from tests.conftest import run_cli as run

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "resources" / "examples" / "chengbu_commerce_2019.nianbao"


def test_new_year_writes_the_skeleton(tmp_path):
    out = tmp_path / "2020.nianbao"
    result = run("new-year", str(EXAMPLE), "-o", str(out))
    assert result.returncode == 0, result.stderr.decode()
    assert "已生成 2020 年度报告" in result.stdout.decode()
    report = store.load(out)
    assert (report.meta.year, report.format_id, report.last_year.year) == (2020, "gov-2019", 2019)
    assert sorted(json.loads(out.read_text(encoding="utf-8"))["carried_sections"]) == ["other_matters", "overview", "problems"]
    # the check finds the drafts
    check = json.loads(run("check", str(out), "--json").stdout.decode())
    assert sum(p["rule"] == "text.unchanged_draft" for p in check["problems"]) == 3


def test_new_year_refuses_to_overwrite_and_bad_inputs(tmp_path):
    out = tmp_path / "new.nianbao"
    out.write_text("work", encoding="utf-8")
    refused = run("new-year", str(EXAMPLE), "-o", str(out))
    assert refused.returncode == 2 and "未覆盖" in refused.stderr.decode()
    assert out.read_text(encoding="utf-8") == "work"
    assert run("new-year", str(EXAMPLE), "-o", str(out), "--force", "--year", "2021").returncode == 0
    assert store.load(out).format_id == "gov-2021"
    assert run("new-year", str(EXAMPLE), "-o", str(tmp_path / "x.nianbao"), "--year", "2019").returncode == 2
    newer = tmp_path / "newer.nianbao"
    data = json.loads(EXAMPLE.read_text(encoding="utf-8"))
    data["nianbao_file"] = 99
    newer.write_text(json.dumps(data), encoding="utf-8")
    result = run("new-year", str(newer), "-o", str(tmp_path / "y.nianbao"))
    assert result.returncode == 2 and "较新版本" in result.stderr.decode()
    corrupt = tmp_path / "corrupt.nianbao"
    corrupt.write_text('{"nianbao_file": 1', encoding="utf-8")
    assert run("new-year", str(corrupt), "-o", str(tmp_path / "z.nianbao")).returncode == 2
    assert not (tmp_path / "y.nianbao").exists() and not (tmp_path / "z.nianbao").exists()
