"""The GitHub Actions workflow: valid against the published schema (offline, check-jsonschema's copy), and
it does what the release needs on each system."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import ROOT

WORKFLOWS = sorted((ROOT / ".github" / "workflows").glob("*.yml"))


def _checker() -> list[str]:
    found = shutil.which("check-jsonschema", path=str(Path(sys.executable).parent)) or shutil.which("check-jsonschema")
    if found is None:
        pytest.fail("check-jsonschema is not installed: pip install .[test]")
    return [found]


def test_the_workflows_validate_against_the_schema():
    assert WORKFLOWS
    result = subprocess.run([*_checker(), "--builtin-schema", "vendor.github-workflows", *map(str, WORKFLOWS)],
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stdout + result.stderr


def test_the_checker_would_refuse_a_broken_workflow(tmp_path):
    broken = tmp_path / "broken.yml"
    broken.write_text("on: push\njobs:\n  build:\n    steps:\n      - run: echo\n", encoding="utf-8")  # no runs-on
    result = subprocess.run([*_checker(), "--builtin-schema", "vendor.github-workflows", str(broken)],
                            capture_output=True, text=True, timeout=120)
    assert result.returncode != 0


@pytest.fixture(scope="module")
def workflow() -> dict:
    from ruamel.yaml import YAML

    return YAML(typ="safe").load((ROOT / ".github" / "workflows" / "build.yml").read_text(encoding="utf-8"))


def _runs(job: dict) -> str:
    return "\n".join(step.get("run", "") for step in job["steps"])


def _uses(job: dict) -> list[str]:
    return [step["uses"] for step in job["steps"] if "uses" in step]


def test_windows_builds_self_tests_and_installs(workflow):
    job = workflow["jobs"]["build-windows"]
    assert job["runs-on"] == "windows-latest"
    runs = _runs(job)
    assert "choco install innosetup --version " in runs
    assert r"powershell -ExecutionPolicy Bypass -File packaging\windows\build-windows.ps1" in runs  # self-test inside
    assert "/CURRENTUSER" in runs and "--self-test" in runs and "unins000.exe" in runs
    [upload] = [step for step in job["steps"] if step.get("uses", "").startswith("actions/upload-artifact")]
    assert "dist/nianbao-*-setup.exe" in upload["with"]["path"] and "windows-x64.zip" in upload["with"]["path"]
    assert upload["with"]["if-no-files-found"] == "error"


def test_the_bundles_output_is_checked_without_python_variables(workflow):
    """A frozen program ignores PYTHON* variables: setting PYTHONIOENCODING before running the bundle tests nothing.
    Its redirected output is checked in the runner's own code page, decoded strictly."""
    job = workflow["jobs"]["build-windows"]
    text = "\n".join(f"{step.get('env', '')}\n{step.get('run', '')}" for step in job["steps"]) + str(job.get("env", ""))
    assert not re.search(r"PYTHON[A-Z]", text)  # PYTHONIOENCODING, PYTHONUTF8, …
    runs = _runs(job)
    assert "nianbao-cli.exe check resources\\examples\\chengbu_commerce_2019.nianbao > check.txt" in runs
    assert "[Text.UTF8Encoding]::new($false, $true)" in runs and "共 0 个错误、1 个警告、0 个提示" in runs


def test_windows_runs_the_tests(workflow):
    job = workflow["jobs"]["test-windows"]
    assert job["runs-on"] == "windows-latest"
    runs = _runs(job)
    assert 'pip install ".[test,build]"' in runs and "python -m pytest -ra" in runs
    assert job["env"]["NIANBAO_NO_DIALOGS"] == "1"
    for path in ("tests/test_isolation.py", "tests/runtime", "tests/cli/test_windowed.py", "tests/gui/test_qt_runtime.py",
                 "tests/model/test_job_object.py", "tests/model/test_outside_program.py", "tests/export/test_batch_pool.py",
                 "tests/packaging/test_build_script.py", "tests/packaging/test_windows_installer.py"):
        assert path in runs and (ROOT / path).exists()
    assert "tests/cli/test_batch.py::test_ctrl_c_writes_what_was_done" in runs


def test_linux_runs_the_local_gate_and_builds_for_glibc_2_28(workflow):
    assert "bash .ci/run" in _runs(workflow["jobs"]["test-linux"])
    kylin = workflow["jobs"]["build-kylin"]
    assert kylin["container"] == "almalinux:8"  # glibc 2.28, as Kylin V10 and UOS 20
    runs = _runs(kylin)
    assert 'grep -q "2\\.28"' in runs and "packaging/build-linux.sh" in runs and "--self-test" in runs
    assert "GLIBC_" in runs


def test_a_tag_releases_what_was_built(workflow):
    release = workflow["jobs"]["release"]
    assert set(release["needs"]) == {"test-linux", "test-windows", "build-windows", "build-kylin"}
    assert release["permissions"] == {"contents": "write"}
    assert workflow["permissions"] == {"contents": "read"}
