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
    """The function's text, from "function NAME" to its closing brace (the first "}" at the start of a line)."""
    code = _code()
    start = code.index(f"function {name}")
    return code[start:code.index("\n}", start) + 2]


def test_no_environment_variable_is_cut_at_a_parenthesis():
    """"$env:ProgramFiles(x86)\\…" is $env:ProgramFiles followed by "(x86)": the braces are needed."""
    assert re.findall(r"\$env:[A-Za-z_][A-Za-z0-9_]*\(", _code()) == []
    assert "${env:ProgramFiles(x86)}" in _function("Find-Iscc")


def test_a_missing_inno_setup_stops_the_build():
    # the function's last statement, reached when no candidate exists: throw, not a warning
    assert re.search(r'throw \("Inno Setup \(ISCC\.exe\) not found[^}]*\)\s*\}\s*$', _function("Find-Iscc"))
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


def test_inno_setup_6_and_7_are_looked_for_where_their_installers_put_them():
    """Inno Setup 7 installs to "Inno Setup 7" (its 64-bit edition under Program Files); 6 to "Inno Setup 6"."""
    find = _function("Find-Iscc")
    assert 'foreach ($edition in "Inno Setup 6", "Inno Setup 7")' in find
    for root in ("${env:ProgramFiles(x86)}", "$env:ProgramFiles", "$env:ProgramW6432", 'Join-Path $env:LOCALAPPDATA "Programs"'):
        assert root in find


def test_signing_values_are_escaped_for_inno_setup_and_a_double_quote_is_refused():
    """Inno Setup reads "$" in a sign tool command as an escape ($f, $q, $p, $$): every "$" of an argument is
    doubled (tests/packaging/test_windows_installer.py proves with the pinned compiler that "$$" reaches signtool
    as "$"); a double quote cannot be passed on intact, so it is refused before anything is built."""
    assert _function("ConvertTo-InnoSignArgument").strip().splitlines()[1].strip() == \
        "return '$q' + $Value.Replace('$', '$$') + '$q'"
    code = _code()
    assert "ForEach-Object { ConvertTo-InnoSignArgument $_ }" in code  # the program, "sign" and every argument
    sign = _function("Get-SignArguments")
    assert sign.index("""$value.Contains('"')""") < sign.index("$arguments = @(")
    for name in ("NIANBAO_SIGN_PFX", "NIANBAO_SIGN_PASSWORD", "NIANBAO_SIGN_THUMBPRINT", "NIANBAO_SIGN_TIMESTAMP_URL"):
        assert f'"{name}"' in sign.split("foreach ($name in ")[1].split(")")[0]
    assert "$value" not in sign.split("throw (")[1].split(")")[0]  # the password is never printed


# ---- run for real (Windows PowerShell on the workflow's Windows runner) ---------------------------------------

def _powershell() -> str | None:
    return shutil.which("powershell") or shutil.which("pwsh")


def _windows_shell() -> str:
    shell = _powershell()
    if shell is None or sys.platform != "win32":
        pytest.skip("needs Windows PowerShell (the workflow's Windows job runs it)")
    return shell


def _bare_environment(tmp_path: Path, shell: str) -> tuple[dict[str, str], Path]:
    """No Inno Setup anywhere: every Program Files and the per-user folder point at an empty folder. Windows'
    environment keys are upper case (os.environ holds PROGRAMFILES(X86), not ProgramFiles(x86))."""
    empty = tmp_path / "empty"
    empty.mkdir(exist_ok=True)
    system = Path(os.environ["SYSTEMROOT"]) / "System32"
    env = dict(os.environ, **{"PROGRAMFILES(X86)": str(empty), "PROGRAMFILES": str(empty), "PROGRAMW6432": str(empty),
                              "LOCALAPPDATA": str(empty), "PATH": f"{system};{Path(shell).parent}"})
    env.pop("ISCC", None)
    return env, empty


def _functions(shell: str, names: list[str], expression: str, env: dict[str, str]) -> subprocess.CompletedProcess[bytes]:
    """The script's functions ``names`` defined in a fresh PowerShell, then ``expression`` (passed encoded: no
    quoting of the command line can change it)."""
    import base64

    code = "\n".join(_function(name) for name in names) + "\n" + expression
    encoded = base64.b64encode(code.encode("utf-16-le")).decode("ascii")
    return subprocess.run([shell, "-NoProfile", "-ExecutionPolicy", "Bypass", "-EncodedCommand", encoded], env=env,
                          capture_output=True, timeout=120)


def _unwrapped(output: str) -> str:
    """PowerShell's error output without whitespace: it wraps long messages at the console's width."""
    return re.sub(r"\s+", "", output)


def test_the_script_fails_without_inno_setup(tmp_path):
    """On Windows: no ISCC where an install puts it nor on PATH → a non-zero exit and the reason, at once."""
    shell = _windows_shell()
    env, _empty = _bare_environment(tmp_path, shell)
    result = subprocess.run([shell, "-NoProfile", "-ExecutionPolicy", "Bypass", "-File", str(SCRIPT),
                             "-Python", sys.executable], env=env, capture_output=True, timeout=300)
    output = (result.stdout + result.stderr).decode("utf-8", "replace")
    assert result.returncode != 0, output
    assert "InnoSetup(ISCC.exe)notfound" in _unwrapped(output)
    assert not (ROOT / "build" / "pyinstaller").exists() or "PyInstaller" not in output


@pytest.mark.parametrize(("root", "edition"), [("PROGRAMFILES(X86)", "Inno Setup 6"), ("PROGRAMFILES", "Inno Setup 7"),
                                               ("PROGRAMW6432", "Inno Setup 7"), ("LOCALAPPDATA", "Inno Setup 6")])
def test_inno_setup_is_found_where_its_installer_puts_it(tmp_path, root, edition):
    shell = _windows_shell()
    env, _empty = _bare_environment(tmp_path, shell)
    folder = tmp_path / "installed"
    env[root] = str(folder)
    iscc = (folder / "Programs" if root == "LOCALAPPDATA" else folder) / edition / "ISCC.exe"
    iscc.parent.mkdir(parents=True)
    iscc.write_bytes(b"MZ")
    result = _functions(shell, ["Find-Iscc"], "Find-Iscc ''", env)
    assert result.returncode == 0, result.stderr.decode("utf-8", "replace")
    assert Path(result.stdout.decode("utf-8", "replace").strip()) == iscc


def test_signing_arguments_for_inno_setup(tmp_path):
    shell = _windows_shell()
    env = dict(os.environ, NIANBAO_SIGN_PFX=r"C:\certs\nianbao.pfx", NIANBAO_SIGN_PASSWORD="pa$s w$$rd",
               NIANBAO_SIGN_TIMESTAMP_URL="http://timestamp.example")
    result = _functions(shell, ["Get-SignArguments", "ConvertTo-InnoSignArgument"],
                        "Get-SignArguments | ForEach-Object { ConvertTo-InnoSignArgument $_ }", env)
    assert result.returncode == 0, result.stderr.decode("utf-8", "replace")
    lines = result.stdout.decode("utf-8", "replace").split()  # (no argument here has a space but the password)
    assert "$q/p$q" in lines and "$qpa$$s" in lines and "w$$$$rd$q" in lines
    assert "$qC:\\certs\\nianbao.pfx$q" in lines
    env["NIANBAO_SIGN_PASSWORD"] = 'say "cheese"'
    refused = _functions(shell, ["Get-SignArguments"],
                         'try { Get-SignArguments } catch { Write-Output ("REFUSED: " + $_.Exception.Message); exit 3 }', env)
    output = refused.stdout.decode("utf-8", "replace")
    assert refused.returncode == 3 and "REFUSED: NIANBAO_SIGN_PASSWORD contains a double quote" in output
    assert "cheese" not in output + refused.stderr.decode("utf-8", "replace")


def test_the_script_fails_on_a_wrong_iscc_path(tmp_path):
    shell = _windows_shell()
    result = subprocess.run([shell, "-NoProfile", "-ExecutionPolicy", "Bypass", "-File", str(SCRIPT),
                             "-Python", sys.executable, "-Iscc", str(tmp_path / "ISCC.exe")],
                            capture_output=True, timeout=300)
    assert result.returncode != 0
    assert "ISCC.exenotfoundat" in _unwrapped((result.stdout + result.stderr).decode("utf-8", "replace"))
