; Inno Setup 6 script: the Windows installer of 信访台账, made from the PyInstaller bundle in dist\xinfang.
; Not run here (no Windows machine in this project's CI): see the README's developer section.
;     pyinstaller --noconfirm build.spec
;     "C:\Program Files (x86)\Inno Setup 6\ISCC.exe" /DAppVersion=0.1.0 scripts\xinfang.iss
; -> dist\xinfang-desktop-0.1.0-setup.exe
; Installs per machine under Program Files, a Start-menu entry, a desktop shortcut (ticked by default) and
; an uninstaller. The clerk's data (database, backups, attachments, log) live in
; %LOCALAPPDATA%\xinfang-desktop, which this installer never writes and its uninstaller never deletes.

#ifndef AppVersion
  #define AppVersion "0.1.0"
#endif

[Setup]
AppId={{6F0B7C1E-3A55-4C1F-9B7D-5E2A8C4D9F10}
AppName=信访台账
AppVersion={#AppVersion}
AppVerName=信访台账 {#AppVersion}
AppPublisher=信访台账
DefaultDirName={autopf}\xinfang-desktop
DefaultGroupName=信访台账
DisableProgramGroupPage=yes
OutputDir=..\dist
OutputBaseFilename=xinfang-desktop-{#AppVersion}-setup
SetupIconFile=..\resources\icons\xinfang.ico
UninstallDisplayIcon={app}\xinfang.exe
UninstallDisplayName=信访台账
Compression=lzma2/max
SolidCompression=yes
WizardStyle=modern
ArchitecturesAllowed=x64compatible
ArchitecturesInstallIn64BitMode=x64compatible
PrivilegesRequiredOverridesAllowed=dialog

[Languages]
; ChineseSimplified.isl: shipped with recent Inno Setup 6 releases; with an older one, copy it from Inno
; Setup's translations page into its Languages folder first
Name: "chs"; MessagesFile: "compiler:Languages\ChineseSimplified.isl"

[Tasks]
Name: "desktopicon"; Description: "在桌面创建快捷方式"; GroupDescription: "快捷方式："

[Files]
; the bundle: xinfang.exe (the window), xinfang-cli.exe (the same program for a command prompt) and
; _internal\ (Python, Qt, fonts, templates; the licences in _internal\resources\licenses and \fonts)
Source: "..\dist\xinfang\*"; DestDir: "{app}"; Flags: ignoreversion recursesubdirs createallsubdirs

[Icons]
Name: "{group}\信访台账"; Filename: "{app}\xinfang.exe"; WorkingDir: "{userdocs}"
Name: "{group}\卸载信访台账"; Filename: "{uninstallexe}"
Name: "{autodesktop}\信访台账"; Filename: "{app}\xinfang.exe"; WorkingDir: "{userdocs}"; Tasks: desktopicon

[Run]
Filename: "{app}\xinfang.exe"; Description: "启动信访台账"; Flags: nowait postinstall skipifsilent

; Only what [Files] put under {app} is removed; %LOCALAPPDATA%\xinfang-desktop is never named here, so
; the database and its backups stay after an uninstall (and a reinstall finds them again).
