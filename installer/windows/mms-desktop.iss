; Inno Setup 6.3+ script (UTF-8 with BOM, as Inno Setup reads Polish text): a per-user installer for mms-desktop on Windows 10/11.
;
; Build on Windows, from the project folder, after the one-folder build:
;     .venv\Scripts\pyinstaller --noconfirm --clean installer\mms-desktop.spec
;     "C:\Program Files (x86)\Inno Setup 6\ISCC.exe" /DAppVersion=0.1.0 installer\windows\mms-desktop.iss
; It writes dist\mms-desktop-0.1.0-windows-x64-setup.exe.
;
; No administrator rights: the program goes to %LOCALAPPDATA%\Programs\mms-desktop,
; the shortcuts to this user's Start menu and desktop. The data folder
; (%LOCALAPPDATA%\mms-desktop: applications, attachments, backups) is not the
; program folder; the uninstaller leaves it unless the user says to remove it
; (default: keep). A portable data folder (dane-mms-desktop, beside the program)
; is never installed, so it is never removed either.

#ifndef AppVersion
  #define AppVersion "0.1.0"
#endif
#define AppName "mms-desktop"
#define AppExe "mms-desktop.exe"
#define Root "..\.."
; The one-folder build, relative to Root (scripts/build-windows builds elsewhere).
; scripts/build-windows compiles with lzma2/max: under Wine the 32-bit compiler
; runs out of memory with ultra64's 64 MB dictionary.
#ifndef Compression
  #define Compression "lzma2/ultra64"
#endif
#ifndef FrozenDir
  #define FrozenDir "dist\mms-desktop"
#endif

[Setup]
; The AppId ties upgrades and the uninstaller together: never change it.
AppId={{6F0E7C2A-3B7D-4C59-9A51-2D8E4F1B7C30}
AppName={#AppName}
AppVersion={#AppVersion}
AppVerName={#AppName} {#AppVersion}
AppPublisher=mms-desktop
AppComments=Wnioski o małe granty / small-grant applications, offline
PrivilegesRequired=lowest
DefaultDirName={code:UserProgramsFolder}\{#AppName}
DefaultGroupName={#AppName}
DisableProgramGroupPage=yes
DisableDirPage=auto
UsePreviousAppDir=yes
ArchitecturesAllowed=x64compatible
ArchitecturesInstallIn64BitMode=x64compatible
; Qt 6 needs Windows 10 (1809) or later.
MinVersion=10.0.17763
SourceDir={#Root}
OutputDir=dist
OutputBaseFilename={#AppName}-{#AppVersion}-windows-x64-setup
SetupIconFile=resources\icons\mms-desktop.ico
UninstallDisplayIcon={app}\{#AppExe}
UninstallDisplayName={#AppName}
Compression={#Compression}
SolidCompression=yes
WizardStyle=modern
ShowLanguageDialog=auto
CloseApplications=yes

[Languages]
Name: "pl"; MessagesFile: "compiler:Languages\Polish.isl"
Name: "en"; MessagesFile: "compiler:Default.isl"

[CustomMessages]
pl.CommandLineNote=Wiersz poleceń: mms-desktop-cli.exe w folderze programu.
en.CommandLineNote=Command line: mms-desktop-cli.exe in the program's folder.
pl.RemoveDataQuestion=Usunąć także dane programu z tego folderu?
pl.RemoveDataDetail=Są tam wszystkie wnioski, sprawozdania, załączniki i kopie zapasowe. Wybierz „Nie”, aby je zachować (np. do ponownej instalacji).
en.RemoveDataQuestion=Also delete the program's data in this folder?
en.RemoveDataDetail=It holds every application, report, attachment and backup. Choose "No" to keep it (e.g. to install again).

[Tasks]
Name: "desktopicon"; Description: "{cm:CreateDesktopIcon}"; GroupDescription: "{cm:AdditionalIcons}"

[InstallDelete]
; An upgrade replaces the bundled libraries whole: no stale file of an older version stays.
Type: filesandordirs; Name: "{app}\_internal"

[Files]
Source: "{#FrozenDir}\*"; DestDir: "{app}"; Flags: ignoreversion recursesubdirs createallsubdirs

[Icons]
Name: "{autoprograms}\{#AppName}"; Filename: "{app}\{#AppExe}"; WorkingDir: "{app}"; Comment: "{cm:CommandLineNote}"
Name: "{autodesktop}\{#AppName}"; Filename: "{app}\{#AppExe}"; WorkingDir: "{app}"; Tasks: desktopicon

[Run]
Filename: "{app}\{#AppExe}"; Description: "{cm:LaunchProgram,{#AppName}}"; Flags: nowait postinstall skipifsilent

[Code]
// {userpf}: this user's program folder, FOLDERID_UserProgramFiles, which Windows 10
// and 11 put at %LOCALAPPDATA%\Programs unless it was moved; Windows always has it.
// Wine 8's shell32 does not support that known folder (SHGetKnownFolderPath gives
// E_INVALIDARG, with or without a display, whatever the Windows version set), and
// Inno Setup would stop with "Failed to expand shell folder constant": under Wine
// the setup takes Windows' default path instead.
function UserProgramsFolder(Param: String): String;
begin
  try
    Result := ExpandConstant('{userpf}');
  except
    Log('No FOLDERID_UserProgramFiles (' + GetExceptionMessage + '): using {localappdata}\Programs');
    Result := ExpandConstant('{localappdata}\Programs');
  end;
end;

// The data folder as the program finds it: platformdirs.user_data_dir("mms-desktop",
// appauthor=False) is %LOCALAPPDATA%\mms-desktop.
function DataFolder(): String;
begin
  Result := ExpandConstant('{localappdata}\{#AppName}');
end;

procedure CurUninstallStepChanged(CurUninstallStep: TUninstallStep);
var
  Folder: String;
begin
  if CurUninstallStep <> usPostUninstall then
    Exit;
  Folder := DataFolder();
  if not DirExists(Folder) then
    Exit;
  // Silent uninstalls (and the default answer) keep the data.
  if UninstallSilent then
    Exit;
  if MsgBox(CustomMessage('RemoveDataQuestion') + #13#10#13#10 + Folder + #13#10#13#10 +
            CustomMessage('RemoveDataDetail'),
            mbConfirmation, MB_YESNO or MB_DEFBUTTON2) = IDYES then
  begin
    if not DelTree(Folder, True, True, True) then
      MsgBox(Folder, mbError, MB_OK);
  end;
end;
