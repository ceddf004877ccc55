; Inno Setup 6 script: installs 年报助手 for the current user (no administrator rights), adds a
; start-menu entry and opens .nianbao files with it. Built by build-windows.ps1 (/DAppVersion=…).
#ifndef AppVersion
  #define AppVersion "0.1.0"
#endif

[Setup]
AppId={{6F1E2B7A-4C1D-4E55-9B8E-2A6D1C0F5A31}
AppName=年报助手
AppVersion={#AppVersion}
AppPublisher=年报助手
DefaultDirName={localappdata}\Programs\Nianbao
DefaultGroupName=年报助手
PrivilegesRequired=lowest
PrivilegesRequiredOverridesAllowed=dialog
ChangesAssociations=yes
DisableProgramGroupPage=yes
OutputDir=..\..\dist
OutputBaseFilename=nianbao-{#AppVersion}-setup
SetupIconFile=..\..\resources\icons\nianbao.ico
UninstallDisplayIcon={app}\nianbao.exe
Compression=lzma2
SolidCompression=yes
WizardStyle=modern
ArchitecturesAllowed=x64compatible
ArchitecturesInstallIn64BitMode=x64compatible

[Languages]
Name: "chinesesimplified"; MessagesFile: "compiler:Languages\ChineseSimplified.isl"

[Tasks]
Name: "desktopicon"; Description: "在桌面创建快捷方式"; Flags: unchecked

[Files]
Source: "..\..\dist\nianbao\*"; DestDir: "{app}"; Flags: ignoreversion recursesubdirs createallsubdirs

[Icons]
Name: "{userprograms}\年报助手"; Filename: "{app}\nianbao.exe"
Name: "{userdesktop}\年报助手"; Filename: "{app}\nianbao.exe"; Tasks: desktopicon

[Registry]
; per user (HKCU): .nianbao opens with 年报助手
Root: HKCU; Subkey: "Software\Classes\.nianbao"; ValueType: string; ValueData: "Nianbao.Report"; Flags: uninsdeletevalue
Root: HKCU; Subkey: "Software\Classes\Nianbao.Report"; ValueType: string; ValueData: "年报助手报告"; Flags: uninsdeletekey
Root: HKCU; Subkey: "Software\Classes\Nianbao.Report\DefaultIcon"; ValueType: string; ValueData: "{app}\nianbao.exe,0"
Root: HKCU; Subkey: "Software\Classes\Nianbao.Report\shell\open\command"; ValueType: string; ValueData: """{app}\nianbao.exe"" ""%1"""

[Run]
Filename: "{app}\nianbao.exe"; Description: "启动年报助手"; Flags: nowait postinstall skipifsilent
