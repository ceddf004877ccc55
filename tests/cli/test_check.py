"""`nianbao check` as spec/interfaces.md describes it: exit codes, JSON shape, Chinese messages."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

import cli
from model import store
from model.checks import run_checks
from tests.conftest import run_cli as run

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "resources" / "examples" / "chengbu_commerce_2019.nianbao"


def test_example_checks_clean():
    result = run("check", str(EXAMPLE))
    assert result.returncode == 0
    out = result.stdout.decode("utf-8")
    assert "县商务局2019年政府信息公开工作年度报告" in out
    # the seed was signed on 2020-02-12, after the 31 January deadline: one warning, no error
    assert f"[警告] {LATE}\n共 0 个错误、1 个警告、0 个提示" in out


LATE = "成文日期2020年2月12日晚于2020年1月31日：《条例》第四十九条要求每年1月31日前公布上一年度的年度报告（是否按时公布是考核内容）"


def test_example_json():
    result = run("check", str(EXAMPLE), "--json")
    assert result.returncode == 0
    data = json.loads(result.stdout.decode("utf-8"))
    (late,) = data.pop("problems")
    assert data == {"file": str(EXAMPLE), "format": "gov-2019", "year": 2019, "errors": 0, "warnings": 1, "infos": 0}
    assert late == {"rule": "meta.late", "severity": "warning", "message": LATE, "cells": [], "sections": [],
                    "fields": ["date"], "spans": [], "dismissed": None, "id": late["id"]}
    assert late["id"].startswith("meta.late|date|")


def test_balance_error(distinct, tmp_path):
    distinct.set_cell(("requests", "granted", "legal"), 145)
    path = tmp_path / "bad.nianbao"
    store.save(distinct, path)
    result = run("check", str(path), "--json")
    assert result.returncode == 1
    data = json.loads(result.stdout.decode("utf-8"))
    assert data["errors"] == 1
    (problem,) = [p for p in data["problems"] if p["rule"] == "requests.balance"]
    assert problem["severity"] == "error"
    assert problem["cells"] == [["requests", "received", "legal"], ["requests", "carried_in", "legal"],
                                ["requests", "handled_total", "legal"], ["requests", "carried_out", "legal"]]
    assert problem["message"] == "法律服务机构列：第一项+第二项=4701，第三项（七）总计+第四项=4702，相差1"
    assert set(problem) == {"rule", "severity", "message", "cells", "sections", "fields", "spans", "dismissed", "id"}
    assert problem["dismissed"] is None
    assert problem["id"].startswith("requests.balance|requests.carried_in.legal+requests.carried_out.legal+")
    human = run("check", str(path))
    assert human.returncode == 1
    assert "[错误] 法律服务机构列" in human.stdout.decode("utf-8")


def test_corrupt_file_exit_2(tmp_path):
    path = tmp_path / "broken.nianbao"
    path.write_text('{"nianbao_file": 1, "format"', encoding="utf-8")
    result = run("check", str(path))
    assert result.returncode == 2
    assert "无法打开“broken.nianbao”：文件已损坏或不完整" in result.stderr.decode("utf-8")
    assert result.stdout == b""


def test_last_year_replaces_the_stored_baseline(distinct, tmp_path):
    last = distinct.copy()
    last.set_meta(year=2025)
    last.set_cells({("requests", "carried_out", c): distinct.value(("requests", "carried_in", c))
                    for c in ("business", "research", "nonprofit", "legal", "other")})
    last.set_cell(("requests", "carried_out", "natural"), 100)
    last_path, this_path = tmp_path / "2025.nianbao", tmp_path / "2026.nianbao"
    store.save(last, last_path)
    store.save(distinct, this_path)
    data = json.loads(run("check", str(this_path), "--last-year", str(last_path), "--json").stdout.decode("utf-8"))
    carry = [p for p in data["problems"] if p["rule"] == "requests.carry_in"]
    assert [p["cells"] for p in carry] == [[["requests", "carried_in", "natural"]]]
    assert carry[0]["message"] == "自然人列：二、上年结转为105，但2025年报告的四、结转下年度继续办理为100"
    assert run("check", str(this_path), "--last-year", str(tmp_path / "none.nianbao")).returncode == 2


def test_dismissed_problems_listed_not_counted(distinct, tmp_path):
    distinct.dismiss(run_checks(distinct)[0].id, "已向上级说明")
    path = tmp_path / "d.nianbao"
    store.save(distinct, path)
    data = json.loads(run("check", str(path), "--json").stdout.decode("utf-8"))
    assert data["infos"] == 0
    assert [p["dismissed"] for p in data["problems"]] == ["已向上级说明"]


def test_version_and_bad_arguments(capsys):
    with pytest.raises(SystemExit) as caught:
        cli.main(["--version"])
    assert caught.value.code == 0
    assert "0.1.0" in capsys.readouterr().out
    with pytest.raises(SystemExit) as caught:
        cli.main(["check"])
    assert caught.value.code == 2
    err = capsys.readouterr().err
    assert err.splitlines() == ["用法：nianbao check [-h] [--last-year FILE] [--json] [--rules] [FILE]",
                                "nianbao check：参数有误：缺少参数: FILE（或用 --rules 列出全部核对规则）"]
    with pytest.raises(SystemExit) as caught:
        cli.main(["check", "--help"])
    assert caught.value.code == 0
    out = capsys.readouterr().out
    assert out.startswith("用法：nianbao check ") and "用法：用法" not in out


def test_rules_lists_the_catalogue():
    from model.catalogue import catalogue

    result = run("check", "--rules")
    assert result.returncode == 0
    lines = result.stdout.decode("utf-8").splitlines()
    for info in catalogue():
        assert f"{info.id}  [{info.severity_name}]  {info.name}：{info.explanation}" in lines
    assert lines[0] == "【本年报告】"
    assert "text.thin_problems  [警告]  问题及改进情况过于简单：" in "\n".join(lines)
    data = json.loads(run("check", "--rules", "--json").stdout.decode("utf-8"))
    assert [rule["rule"] for rule in data["rules"]] == [info.id for info in catalogue()]
    assert data["rules"][1] == {"rule": "requests.balance", "severity": "error", "name": "表三勾稽关系",
                                "explanation": "表三每个申请人列：第一项加第二项之和，等于第三项（七）总计加第四项之和",
                                "group": "本年报告"}


def test_rules_takes_no_report(capsys):
    with pytest.raises(SystemExit) as caught:
        cli.main(["check", "--rules", str(EXAMPLE)])
    assert caught.value.code == 2
    assert "参数有误：--rules 只列出核对规则，不核对报告：请去掉报告文件，或去掉 --rules" in capsys.readouterr().err
