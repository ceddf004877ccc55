# Build 年报助手 for Windows: dist\nianbao\ (one folder: nianbao.exe for the window, nianbao-cli.exe for the
# command line), dist\nianbao-<version>-windows-x64.zip and the installer dist\nianbao-<version>-setup.exe.
#
#   py -3.11 -m venv .venv ; .venv\Scripts\pip install ".[build]"
#   powershell -ExecutionPolicy Bypass -File packaging\windows\build-windows.ps1
#
# Needs Inno Setup 6.3 or newer for the installer (https://jrsoftware.org/isdl.php, or
# `choco install innosetup`); -SkipInstaller builds the folder and the .zip only. Every step that fails
# stops the script with a non-zero exit code: a release is never taken for built when a part is missing.
# Signing (optional): set NIANBAO_SIGN_PFX (a .pfx file) and NIANBAO_SIGN_PASSWORD, or
# NIANBAO_SIGN_THUMBPRINT (a certificate in the Windows certificate store, e.g. on a hardware token),
# and NIANBAO_SIGN_TIMESTAMP_URL (the RFC 3161 time-stamp server of the certificate's issuer);
# the programs, the installer and its uninstaller are then signed with signtool (packaging/README.md).
[CmdletBinding()]
param(
    [string]$Iscc = $env:ISCC,
    [string]$Python = $env:PYTHON,
    [switch]$SkipInstaller
)
$ErrorActionPreference = "Stop"
Set-StrictMode -Version Latest
Set-Location (Join-Path $PSScriptRoot "..\..")

# Native programs do not throw when they fail: check each one's exit code. (Inside, "Continue": Windows
# PowerShell 5.1 would otherwise stop at the first line a program writes to stderr when output is redirected.)
function Invoke-Native([string]$What, [scriptblock]$Command) {
    $ErrorActionPreference = "Continue"
    & $Command
    if ($LASTEXITCODE -ne 0) { throw "$What failed (exit code $LASTEXITCODE)" }
}

# Inno Setup's compiler, where an ordinary install puts it: "Inno Setup 6" (the project pins 6.4.1, which both CIs
# use and ChineseSimplified.isl translates; nianbao.iss compiles with any 6.3 or newer) or "Inno Setup 7" (whose
# 64-bit edition installs under Program Files), for all users or for the current user. ${env:ProgramFiles(x86)}
# needs the braces: in "$env:ProgramFiles(x86)\…" PowerShell ends the variable name at the parenthesis.
# ProgramW6432 is the 64-bit Program Files also when this runs in a 32-bit PowerShell.
function Find-Iscc([string]$Given) {
    if ($Given) {
        if (Test-Path -LiteralPath $Given -PathType Leaf) { return $Given }
        throw "ISCC.exe not found at '$Given' (from -Iscc or the ISCC environment variable)"
    }
    $roots = @(${env:ProgramFiles(x86)}, $env:ProgramFiles, $env:ProgramW6432,
        $(if ($env:LOCALAPPDATA) { Join-Path $env:LOCALAPPDATA "Programs" })) | Where-Object { $_ } | Select-Object -Unique
    $candidates = foreach ($edition in "Inno Setup 6", "Inno Setup 7") {
        foreach ($root in $roots) { Join-Path $root "$edition\ISCC.exe" }
    }
    foreach ($candidate in $candidates) {
        if (Test-Path -LiteralPath $candidate -PathType Leaf) { return $candidate }
    }
    $onPath = Get-Command "ISCC.exe" -CommandType Application -ErrorAction SilentlyContinue | Select-Object -First 1
    if ($onPath) { return $onPath.Source }
    throw ("Inno Setup (ISCC.exe) not found: looked for " + ($candidates -join ", ") + " and on PATH. " +
        "Install Inno Setup 6.4.1 (choco install innosetup --version 6.4.1; any 6.3 or newer, or 7, also compiles), " +
        "pass -Iscc <path to ISCC.exe>, or build without the installer with -SkipInstaller.")
}

function Find-SignTool {
    $onPath = Get-Command "signtool.exe" -CommandType Application -ErrorAction SilentlyContinue | Select-Object -First 1
    if ($onPath) { return $onPath.Source }
    $kits = Join-Path ${env:ProgramFiles(x86)} "Windows Kits\10\bin"
    $found = Get-ChildItem -Path $kits -Filter signtool.exe -Recurse -ErrorAction SilentlyContinue |
        Where-Object { $_.Directory.Name -eq "x64" } | Sort-Object FullName -Descending | Select-Object -First 1
    if (-not $found) { throw "Signing was asked for, but signtool.exe (Windows SDK) was not found" }
    return $found.FullName
}

# The arguments after "signtool sign" for the configured certificate, or $null when none is configured. A double
# quote in any of them is refused: neither Windows PowerShell 5.1 (passing it to signtool) nor Inno Setup's sign
# tool command (where $q quotes an argument) can pass it on intact. The value itself is never printed.
function Get-SignArguments {
    if (-not ($env:NIANBAO_SIGN_PFX -or $env:NIANBAO_SIGN_THUMBPRINT)) { return $null }
    if (-not $env:NIANBAO_SIGN_TIMESTAMP_URL) { throw "NIANBAO_SIGN_TIMESTAMP_URL is needed with a signing certificate" }
    foreach ($name in "NIANBAO_SIGN_PFX", "NIANBAO_SIGN_PASSWORD", "NIANBAO_SIGN_THUMBPRINT", "NIANBAO_SIGN_TIMESTAMP_URL") {
        $value = [Environment]::GetEnvironmentVariable($name)
        if ($value -and $value.Contains('"')) {
            throw ("$name contains a double quote (`"), which cannot be passed to signtool intact: " +
                "choose a value without it (for a password: export the .pfx again with another password)")
        }
    }
    $arguments = @("/fd", "sha256", "/tr", $env:NIANBAO_SIGN_TIMESTAMP_URL, "/td", "sha256", "/d", "年报助手")
    if ($env:NIANBAO_SIGN_PFX) {
        $arguments += @("/f", $env:NIANBAO_SIGN_PFX)
        if ($env:NIANBAO_SIGN_PASSWORD) { $arguments += @("/p", $env:NIANBAO_SIGN_PASSWORD) }
    } else {
        $arguments += @("/sha1", $env:NIANBAO_SIGN_THUMBPRINT)
    }
    return $arguments
}

# One argument of Inno Setup's sign tool command: quoted with $q (Inno Setup's quote), and every "$" doubled, since
# Inno Setup reads "$" as the start of $f, $q, $p or $$ (a password "pa$s" would otherwise reach signtool as "pas").
function ConvertTo-InnoSignArgument([string]$Value) {
    return '$q' + $Value.Replace('$', '$$') + '$q'
}

# Everything needed is looked for before the build starts, so a missing tool fails in a second.
if (-not $Python) { $Python = ".venv\Scripts\python.exe" }
if (-not (Test-Path -LiteralPath $Python -PathType Leaf) -and -not (Get-Command $Python -ErrorAction SilentlyContinue)) {
    throw "Python not found at '$Python': create the virtual environment first (see the top of this script)"
}
$isccPath = if ($SkipInstaller) { $null } else { Find-Iscc $Iscc }
$signArguments = Get-SignArguments
$signTool = if ($signArguments) { Find-SignTool } else { $null }
$version = (Select-String -LiteralPath "model\version.py" -Pattern '__version__ = "([^"]+)"').Matches[0].Groups[1].Value

Invoke-Native "PyInstaller" { & $Python -m PyInstaller --noconfirm --clean --log-level WARN --distpath dist --workpath build\pyinstaller packaging\nianbao.spec }
$bundle = "dist\nianbao"
foreach ($program in "nianbao.exe", "nianbao-cli.exe") {
    if (-not (Test-Path -LiteralPath (Join-Path $bundle $program))) { throw "PyInstaller did not make $bundle\$program" }
}

# the bundle must pass its own smoke test (Qt's platform plugin and translation included) before it is packed
Invoke-Native "The bundle's self-test" { & "$bundle\nianbao-cli.exe" --self-test }
# the windowed program has no console: PowerShell does not wait for it, so Start-Process -Wait; with
# NIANBAO_NO_DIALOGS it writes what it would show to its log instead of a message box
$env:NIANBAO_NO_DIALOGS = "1"
try {
    $windowed = Start-Process -FilePath "$bundle\nianbao.exe" -ArgumentList "--version" -Wait -PassThru
} finally {
    Remove-Item Env:NIANBAO_NO_DIALOGS
}
if ($windowed.ExitCode -ne 0) { throw "nianbao.exe --version failed (exit code $($windowed.ExitCode))" }

if ($signTool) {
    foreach ($program in "nianbao.exe", "nianbao-cli.exe") {
        Invoke-Native "Signing $program" { & $signTool sign @signArguments (Join-Path $bundle $program) }
    }
}

$zip = "dist\nianbao-$version-windows-x64.zip"
if (Test-Path -LiteralPath $zip) { Remove-Item -LiteralPath $zip }
Add-Type -AssemblyName System.IO.Compression.FileSystem
# the .NET zip writer stores "/" between folder names (Compress-Archive of Windows PowerShell 5.1 stores "\")
[System.IO.Compression.ZipFile]::CreateFromDirectory((Resolve-Path $bundle).Path, (Join-Path (Resolve-Path "dist").Path (Split-Path $zip -Leaf)), [System.IO.Compression.CompressionLevel]::Optimal, $true)

if ($isccPath) {
    $isccArguments = @("/Q", "/DAppVersion=$version")
    if ($signTool) {
        # Inno Setup's sign tool command: $f is the quoted file to sign; single quotes keep PowerShell from reading
        # $f as its own variable
        $command = ((@($signTool, "sign") + $signArguments | ForEach-Object { ConvertTo-InnoSignArgument $_ }) -join " ") + ' $f'
        $isccArguments += @("/DSign", "/Snianbao=$command")
    }
    Invoke-Native "Inno Setup (ISCC)" { & $isccPath @isccArguments packaging\windows\nianbao.iss }
    $setup = "dist\nianbao-$version-setup.exe"
    if (-not (Test-Path -LiteralPath $setup)) { throw "Inno Setup did not make $setup" }
    Write-Host "built $bundle, $zip and $setup"
} else {
    Write-Host "built $bundle and $zip (no installer: -SkipInstaller)"
}
