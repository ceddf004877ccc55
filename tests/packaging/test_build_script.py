"""The Windows build script: environment variables written so PowerShell reads them, every failing step
stops it (a missing Inno Setup included), and the documented command runs under the default execution policy.
Run for real on Windows (the workflow's test job); read here."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import ROOT

SCRIPT = ROOT / "packaging" / "windows" / "build-windows.ps1"
COMMAND = r"powershell -ExecutionPolicy Bypass -File packaging\windows\build-windows.ps1"


def _code() -> str:
    """The script without its comment lines."""
    return "\n".join(line for line in SCRIPT.read_text(encoding="utf-8-sig").splitlines()
                     if not line.lstrip().startswith("#"))


def _function(name: str) -> str:
    code = _code()
    start = code.index(f"function {name}")
    end = code.find("\nfunction ", start + 1)
    return code[start:end if end > 0 else None]


def test_no_environment_variable_is_cut_at_a_parenthesis():
    """"$env:ProgramFiles(x86)\\…" is $env:ProgramFiles followed by "(x86)": the braces are needed."""
    assert re.findall(r"\$env:[A-Za-z_][A-Za-z0-9_]*\(", _code()) == []
    assert "${env:ProgramFiles(x86)}" in _function("Find-Iscc")


def test_a_missing_inno_setup_stops_the_build():
    # the function's last statement, reached when no candidate exists: throw, not a warning
    assert re.search(r'throw \("Inno Setup 6 \(ISCC\.exe\) not found[^}]*\)\s*\}\s*$', _function("Find-Iscc"))
    assert "Write-Warning" not in _code()
    assert "exit 0" not in _code().lower()
    # it is looked for before the long PyInstaller step, and only -SkipInstaller does without it
    code = _code()
    assert code.index("Find-Iscc $Iscc") < code.index("PyInstaller\" {")
    assert re.search(r"\$isccPath = if \(\$SkipInstaller\) \{ \$null \} else \{ Find-Iscc \$Iscc \}", code)


def test_every_native_step_checks_its_exit_code():
    code = _code()
    assert '$ErrorActionPreference = "Stop"' in code
    invoked = re.findall(r"^\s*& ", code, re.MULTILINE)
    assert len(invoked) == 1  # the only "&" call outside Invoke-Native blocks is inside Invoke-Native itself
    for step in ("PyInstaller", "The bundle's self-test", "Inno Setup (ISCC)"):
        assert f'Invoke-Native "{step}"' in code
    assert 'throw "$What failed (exit code $LASTEXITCODE)"' in code


def test_inno_setups_sign_tool_variables_are_not_expanded_by_powershell():
    """$f (the file to sign) and $q (a quote) belong to Inno Setup: written in single quotes."""
    code = _code()
    assert "'$q'" in code and "' $f'" in code
    assert not re.search(r'"[^"\n]*\$[fq]\b[^"\n]*"', code)


def test_the_script_is_read_as_utf8_by_windows_powershell():
    """Windows PowerShell 5.1 reads a script without a byte-order mark in the ANSI code page."""
    assert SCRIPT.read_bytes().startswith(b"\xef\xbb\xbf")


def test_the_documented_command_passes_the_execution_policy():
    for document in (ROOT / "README.md", ROOT / "packaging" / "README.md", SCRIPT):
        text = document.read_text(encoding="utf-8-sig")
        assert COMMAND in text, document
        assert not re.search(r"powershell -File", text), document


def _powershell() -> str | None:
    return shutil.which("powershell") or shutil.which("pwsh")


def test_the_script_fails_without_inno_setup(tmp_path):
    """On Windows: no ISCC where an install puts it nor on PATH → a non-zero exit and the reason, at once."""
    shell = _powershell()
    if shell is None or sys.platform != "win32":
        pytest.skip("needs Windows PowerShell (the workflow's Windows job runs it)")
    empty = tmp_path / "empty"
    empty.mkdir()
    system = Path(os.environ["SystemRoot"]) / "System32"
    env = dict(os.environ, **{"ProgramFiles(x86)": str(empty), "ProgramFiles": str(empty),
                              "LOCALAPPDATA": str(empty), "PATH": f"{system};{Path(shell).parent}"})
    env.pop("ISCC", None)
    result = subprocess.run([shell, "-NoProfile", "-ExecutionPolicy", "Bypass", "-File", str(SCRIPT),
                             "-Python", sys.executable], env=env, capture_output=True, timeout=300)
    output = (result.stdout + result.stderr).decode("utf-8", "replace")
    assert result.returncode != 0, output
    assert "Inno Setup 6 (ISCC.exe) not found" in output
    assert not (ROOT / "build" / "pyinstaller").exists() or "PyInstaller" not in output


def test_the_script_fails_on_a_wrong_iscc_path(tmp_path):
    shell = _powershell()
    if shell is None or sys.platform != "win32":
        pytest.skip("needs Windows PowerShell (the workflow's Windows job runs it)")
    result = subprocess.run([shell, "-NoProfile", "-ExecutionPolicy", "Bypass", "-File", str(SCRIPT),
                             "-Python", sys.executable, "-Iscc", str(tmp_path / "ISCC.exe")],
                            capture_output=True, timeout=300)
    assert result.returncode != 0
    assert "ISCC.exe not found at" in (result.stdout + result.stderr).decode("utf-8", "replace")
