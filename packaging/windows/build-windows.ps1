# Build 年报助手 for Windows: dist\nianbao\ (one folder: nianbao.exe for the window, nianbao-cli.exe
# for the command line) and, when Inno Setup 6 is installed, the per-user installer.
#   py -3.11 -m venv .venv ; .venv\Scripts\pip install ".[build]" ; powershell -File packaging\windows\build-windows.ps1
# Not run in CI (no Windows machine there); reviewed by hand.
$ErrorActionPreference = "Stop"
Set-Location (Join-Path $PSScriptRoot "..\..")
$python = if ($env:PYTHON) { $env:PYTHON } else { ".venv\Scripts\python.exe" }

& $python -m PyInstaller --noconfirm --clean --log-level WARN --distpath dist --workpath build\pyinstaller packaging\nianbao.spec
if ($LASTEXITCODE -ne 0) { throw "PyInstaller failed" }

# the bundle must pass its own smoke test before it is packed
& dist\nianbao\nianbao-cli.exe --self-test
if ($LASTEXITCODE -ne 0) { throw "self-test of the bundle failed" }

$version = (Select-String -Path model/version.py -Pattern '__version__ = "([^"]+)"').Matches[0].Groups[1].Value
Compress-Archive -Force -Path dist\nianbao -DestinationPath "dist\nianbao-$version-windows-x64.zip"

$iscc = @("$env:ProgramFiles(x86)\Inno Setup 6\ISCC.exe", "$env:ProgramFiles\Inno Setup 6\ISCC.exe", "$env:LOCALAPPDATA\Programs\Inno Setup 6\ISCC.exe") |
    Where-Object { Test-Path $_ } | Select-Object -First 1
if ($iscc) {
    & $iscc "/DAppVersion=$version" packaging\windows\nianbao.iss
    if ($LASTEXITCODE -ne 0) { throw "Inno Setup failed" }
} else {
    Write-Warning "Inno Setup 6 not found: built dist\nianbao and the .zip only"
}
