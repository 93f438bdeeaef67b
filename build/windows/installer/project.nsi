; Lead Navigator: 64-bit Windows installer (NSIS 3, amd64-unicode stubs).
;
; Built by scripts/package/windows.sh, which passes:
;   makensis -DVERSION=0.1.0 -DBINARY=...\lead-navigator.exe
;            -DWEBVIEW2_SETUP=...\MicrosoftEdgeWebview2Setup.exe -DOUTFILE=...\x.exe project.nsi
;
; This script replaces the one `wails build -nsis` generates: Wails' default
; installer is 32-bit (it cannot start where only 64-bit code runs, e.g. a
; 64-bit Wine) and its URL handler command leaves the program path unquoted
; (C:\Program Files\... "%1"), which Windows splits at the first space.
; The checks in scripts/package/nsis_test.go keep both fixed.

Unicode true
Target amd64-unicode
SetCompressor /SOLID lzma
ManifestDPIAware true
RequestExecutionLevel admin

!macro require NAME
	!ifndef ${NAME}
		!error "pass -D${NAME}=... (scripts/package/windows.sh does)"
	!endif
!macroend
!insertmacro require VERSION
!insertmacro require BINARY
!insertmacro require WEBVIEW2_SETUP
!insertmacro require OUTFILE

!define PRODUCT "Lead Navigator"
!define COMPANY "Lead Navigator"
!define EXE "lead-navigator.exe"
!define SCHEME "leadnavigator"
!define UNINST_KEY "Software\Microsoft\Windows\CurrentVersion\Uninstall\LeadNavigator"
; The WebView2 Runtime's client id (Evergreen), the same on every machine.
!define WEBVIEW2_KEY "Microsoft\EdgeUpdate\Clients\{F3017226-FE2A-4295-8BDF-00C3A9A7E4C5}"

!include "MUI2.nsh"
!include "LogicLib.nsh"
!include "x64.nsh"
!include "WinVer.nsh"
!include "FileFunc.nsh"

Name "${PRODUCT}"
OutFile "${OUTFILE}"
InstallDir "$PROGRAMFILES64\${PRODUCT}"
InstallDirRegKey HKLM "${UNINST_KEY}" "InstallLocation"
ShowInstDetails show

VIProductVersion "${VERSION}.0"
VIFileVersion "${VERSION}.0"
VIAddVersionKey "ProductName" "${PRODUCT}"
VIAddVersionKey "CompanyName" "${COMPANY}"
VIAddVersionKey "FileDescription" "${PRODUCT} Installer"
VIAddVersionKey "ProductVersion" "${VERSION}"
VIAddVersionKey "FileVersion" "${VERSION}"
VIAddVersionKey "LegalCopyright" "Copyright (c) Lead Navigator team"

!define MUI_ICON "../icon.ico"
!define MUI_UNICON "../icon.ico"
!define MUI_ABORTWARNING
!define MUI_FINISHPAGE_RUN "$INSTDIR\${EXE}"
!define MUI_FINISHPAGE_RUN_TEXT "Start ${PRODUCT}"
!insertmacro MUI_PAGE_WELCOME
!insertmacro MUI_PAGE_DIRECTORY
!insertmacro MUI_PAGE_INSTFILES
!insertmacro MUI_PAGE_FINISH
!insertmacro MUI_UNPAGE_CONFIRM
!insertmacro MUI_UNPAGE_INSTFILES
!insertmacro MUI_LANGUAGE "English"

; Exit codes in silent mode (/S): 64 Windows older than 10, 65 not x64.
Function .onInit
	${IfNot} ${AtLeastWin10}
		IfSilent 0 +3
		SetErrorLevel 64
		Abort
		MessageBox MB_OK|MB_ICONSTOP "${PRODUCT} needs Windows 10 or later."
		Abort
	${EndIf}
	${IfNot} ${IsNativeAMD64}
		IfSilent 0 +3
		SetErrorLevel 65
		Abort
		MessageBox MB_OK|MB_ICONSTOP "${PRODUCT} needs a 64-bit (x64) Windows."
		Abort
	${EndIf}
	SetRegView 64
	SetShellVarContext all
FunctionEnd

Section "Install"
	SetOutPath "$INSTDIR"
	File "/oname=${EXE}" "${BINARY}"
	WriteUninstaller "$INSTDIR\uninstall.exe"

	Call InstallWebView2

	CreateShortcut "$SMPROGRAMS\${PRODUCT}.lnk" "$INSTDIR\${EXE}" "" "$INSTDIR\${EXE}" 0

	; leadnavigator:// links (login and invitation emails) start the app.
	; The program path is quoted: it contains spaces (Program Files).
	WriteRegStr HKLM "Software\Classes\${SCHEME}" "" "URL:${PRODUCT} link"
	WriteRegStr HKLM "Software\Classes\${SCHEME}" "URL Protocol" ""
	WriteRegStr HKLM "Software\Classes\${SCHEME}\DefaultIcon" "" "$\"$INSTDIR\${EXE}$\",0"
	WriteRegStr HKLM "Software\Classes\${SCHEME}\shell\open\command" "" "$\"$INSTDIR\${EXE}$\" $\"%1$\""

	WriteRegStr HKLM "${UNINST_KEY}" "DisplayName" "${PRODUCT}"
	WriteRegStr HKLM "${UNINST_KEY}" "DisplayVersion" "${VERSION}"
	WriteRegStr HKLM "${UNINST_KEY}" "Publisher" "${COMPANY}"
	WriteRegStr HKLM "${UNINST_KEY}" "DisplayIcon" "$\"$INSTDIR\${EXE}$\""
	WriteRegStr HKLM "${UNINST_KEY}" "InstallLocation" "$INSTDIR"
	WriteRegStr HKLM "${UNINST_KEY}" "UninstallString" "$\"$INSTDIR\uninstall.exe$\""
	WriteRegStr HKLM "${UNINST_KEY}" "QuietUninstallString" "$\"$INSTDIR\uninstall.exe$\" /S"
	WriteRegDWORD HKLM "${UNINST_KEY}" "NoModify" 1
	WriteRegDWORD HKLM "${UNINST_KEY}" "NoRepair" 1
	${GetSize} "$INSTDIR" "/S=0K" $0 $1 $2
	WriteRegDWORD HKLM "${UNINST_KEY}" "EstimatedSize" $0
SectionEnd

; The window needs the WebView2 Runtime (part of Windows 11, and of
; Windows 10 with a current Edge). Where it is missing, Microsoft's small
; bootstrapper shipped inside the installer downloads and installs it.
Function InstallWebView2
	ReadRegStr $0 HKLM "SOFTWARE\WOW6432Node\${WEBVIEW2_KEY}" "pv"
	${If} $0 == ""
		ReadRegStr $0 HKLM "SOFTWARE\${WEBVIEW2_KEY}" "pv"
	${EndIf}
	${If} $0 == ""
		ReadRegStr $0 HKCU "Software\${WEBVIEW2_KEY}" "pv"
	${EndIf}
	${If} $0 != ""
	${AndIf} $0 != "0.0.0.0"
		DetailPrint "WebView2 Runtime $0 is installed"
		Return
	${EndIf}
	DetailPrint "Installing the WebView2 Runtime"
	InitPluginsDir
	File "/oname=$PLUGINSDIR\MicrosoftEdgeWebview2Setup.exe" "${WEBVIEW2_SETUP}"
	ExecWait '"$PLUGINSDIR\MicrosoftEdgeWebview2Setup.exe" /silent /install' $1
	${If} $1 != 0
		DetailPrint "The WebView2 Runtime installer exited with $1: install it from Microsoft if the window stays blank"
	${EndIf}
FunctionEnd

; Removes what the installer added. The user's data (%AppData%\lead-navigator:
; accounts, workspaces, imported rows) is kept unless the user asks to
; delete it; a silent uninstall (/S) keeps it.
Section "Uninstall"
	SetRegView 64
	SetShellVarContext all
	Delete "$INSTDIR\${EXE}"
	Delete "$INSTDIR\uninstall.exe"
	RMDir "$INSTDIR"
	Delete "$SMPROGRAMS\${PRODUCT}.lnk"
	DeleteRegKey HKLM "Software\Classes\${SCHEME}"
	DeleteRegKey HKLM "${UNINST_KEY}"

	SetShellVarContext current
	RMDir /r "$APPDATA\${EXE}" ; WebView2's cache for this app (Wails keeps it there)
	MessageBox MB_YESNO|MB_ICONQUESTION "Also delete your ${PRODUCT} data (accounts, workspaces and imported files) in $APPDATA\lead-navigator?" /SD IDNO IDNO keep
	RMDir /r "$APPDATA\lead-navigator"
	keep:
SectionEnd
