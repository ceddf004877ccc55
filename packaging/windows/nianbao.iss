; Inno Setup script for 年报助手: one installer for the current user (default, no administrator rights)
; or — chosen in the first dialog, or with /ALLUSERS — for every user of the PC (Program Files, HKLM).
; Built by build-windows.ps1, which passes /DAppVersion=… (from model/version.py) and, when a
; code-signing certificate is configured, /DSign with a sign tool named "nianbao" (packaging/README.md).
;
; Needs Inno Setup 6.3 or newer: the x64compatible architecture identifier and UTF-8 script files
; without a byte-order mark are 6.3 features (this file and ChineseSimplified.isl carry a BOM anyway).
#if VER < EncodeVer(6, 3, 0)
  #error Inno Setup 6.3 or newer is required (x64compatible). Found an older version: please update Inno Setup.
#endif
#ifndef AppVersion
  #error Pass the version: ISCC /DAppVersion=X.Y.Z nianbao.iss (build-windows.ps1 does)
#endif

[Setup]
AppId={{6F1E2B7A-4C1D-4E55-9B8E-2A6D1C0F5A31}
AppName=年报助手
AppVersion={#AppVersion}
AppVerName=年报助手 {#AppVersion}
AppPublisher=年报助手
VersionInfoVersion={#AppVersion}
VersionInfoDescription=年报助手安装程序
; {autopf}, {autoprograms}, {autodesktop} and HKA follow the install mode: the user's own folders and
; HKCU when installing for the current user, Program Files, the common start menu and HKLM for all users
DefaultDirName={autopf}\Nianbao
DefaultGroupName=年报助手
DisableProgramGroupPage=yes
PrivilegesRequired=lowest
PrivilegesRequiredOverridesAllowed=commandline dialog
; Windows 10 1809 is the oldest Windows that Qt 6.9 (PySide6 < 6.10) supports
MinVersion=10.0.17763
ArchitecturesAllowed=x64compatible
ArchitecturesInstallIn64BitMode=x64compatible
ChangesAssociations=yes
CloseApplications=yes
ShowLanguageDialog=no
SetupLogging=yes
OutputDir=..\..\dist
OutputBaseFilename=nianbao-{#AppVersion}-setup
SetupIconFile=..\..\resources\icons\nianbao.ico
UninstallDisplayIcon={app}\nianbao.exe
UninstallDisplayName=年报助手
Compression=lzma2
SolidCompression=yes
WizardStyle=modern
#ifdef Sign
; the sign tool "nianbao" is defined on ISCC's command line (/Snianbao=…) by build-windows.ps1
SignTool=nianbao
SignedUninstaller=yes
#endif

[Languages]
; Inno Setup ships no Simplified Chinese messages: ChineseSimplified.isl lies beside this script.
; Default.isl first, so a message added by a later Inno Setup still has its English text.
Name: "chinesesimplified"; MessagesFile: "compiler:Default.isl,ChineseSimplified.isl"

[Tasks]
Name: "desktopicon"; Description: "在桌面创建快捷方式"; Flags: unchecked

[InstallDelete]
; an upgrade replaces the whole bundle: files of the previous build left in _internal (an older
; library of another name) would otherwise stay and may be loaded
Type: filesandordirs; Name: "{app}\_internal"

[Files]
Source: "..\..\dist\nianbao\*"; DestDir: "{app}"; Flags: ignoreversion recursesubdirs createallsubdirs

[Icons]
Name: "{autoprograms}\年报助手"; Filename: "{app}\nianbao.exe"
Name: "{autodesktop}\年报助手"; Filename: "{app}\nianbao.exe"; Tasks: desktopicon

[Registry]
; .nianbao opens with 年报助手 — for the current user (HKCU) or for all users (HKLM), as installed
Root: HKA; Subkey: "Software\Classes\.nianbao"; ValueType: string; ValueName: ""; ValueData: "Nianbao.Report"; Flags: uninsdeletevalue
Root: HKA; Subkey: "Software\Classes\.nianbao\OpenWithProgids"; ValueType: string; ValueName: "Nianbao.Report"; ValueData: ""; Flags: uninsdeletevalue
Root: HKA; Subkey: "Software\Classes\Nianbao.Report"; ValueType: string; ValueName: ""; ValueData: "年报助手报告"; Flags: uninsdeletekey
Root: HKA; Subkey: "Software\Classes\Nianbao.Report\DefaultIcon"; ValueType: string; ValueName: ""; ValueData: "{app}\nianbao.exe,0"
Root: HKA; Subkey: "Software\Classes\Nianbao.Report\shell\open\command"; ValueType: string; ValueName: ""; ValueData: """{app}\nianbao.exe"" ""%1"""
Root: HKA; Subkey: "Software\Classes\Applications\nianbao.exe\SupportedTypes"; ValueType: string; ValueName: ".nianbao"; ValueData: ""; Flags: uninsdeletekey

[Run]
; runasoriginaluser: after an all-users install by an administrator, the program starts as the clerk
Filename: "{app}\nianbao.exe"; Description: "启动年报助手"; Flags: nowait postinstall skipifsilent runasoriginaluser
