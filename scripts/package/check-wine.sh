#!/usr/bin/env bash
# The Windows installer under Wine, in a throw-away prefix:
#   installs silently (/S) into Program Files, registers leadnavigator://
#   with a quoted command, adds the Start menu entry and the uninstaller;
#   the installed .exe prints --version, writes the same `sample` bytes as
#   the Linux build, imports with DuckDB (and the Windows credential store),
#   and `serve` answers Register + ImportFile + BuyersDashboard with the
#   same numbers as the Linux build on the same file; the uninstaller
#   removes the files, the shortcut and the registry keys.
#   scripts/package/check-wine.sh LINUX_BINARY
# Wine 8 needs two things a real Windows has: bcryptprimitives.dll (a
# stand-in built from wine/bcryptprimitives.c) and a Windows 10 version.
source "$(dirname "$0")/lib.sh"

linux_bin=${1:?usage: check-wine.sh LINUX_BINARY}
installer=$(artifact windows amd64 exe)
[ -f "$installer" ] || { echo "check-wine.sh: $installer not found (scripts/package/windows.sh)" >&2; exit 1; }
WINE=$(command -v wine64 || echo /usr/lib/wine/wine64)

work=$(mktemp -d /tmp/ln-wine.XXXX)
export WINEPREFIX="$work/prefix" WINEDEBUG=-all WINEARCH=win64
# No Mono/Gecko install prompts: the app needs neither.
export WINEDLLOVERRIDES="mscoree=;mshtml="
serve_pids=()
cleanup() {
	for p in "${serve_pids[@]}"; do kill "$p" 2>/dev/null || true; done
	wineserver -k 2>/dev/null || true
	rm -rf "$work"
}
trap cleanup EXIT

timer_start() { t0=$(date +%s.%N); }
timer_end() { awk -v a="$t0" -v b="$(date +%s.%N)" -v what="$1" 'BEGIN { printf "%s: %.1f s\n", what, b - a }'; }
fail() { echo "FAIL: $*" >&2; exit 1; }

drive="$WINEPREFIX/drive_c"
appdir="$drive/Program Files/Lead Navigator"
exe='C:\Program Files\Lead Navigator\lead-navigator.exe'

timer_start
"$WINE" wineboot --init >/dev/null 2>&1
"$WINE" winecfg -v win10 >/dev/null 2>&1
x86_64-w64-mingw32-gcc -shared -O2 -o "$drive/windows/system32/bcryptprimitives.dll" \
	scripts/package/wine/bcryptprimitives.c -ladvapi32
# A machine that has the WebView2 Runtime: the installer skips its
# bootstrapper, which would try to download it.
"$WINE" reg add 'HKLM\SOFTWARE\WOW6432Node\Microsoft\EdgeUpdate\Clients\{F3017226-FE2A-4295-8BDF-00C3A9A7E4C5}' \
	/v pv /d 120.0.0.0 /f >/dev/null 2>&1
wineserver -w
timer_end "new Wine prefix (wineboot, win10, bcryptprimitives stand-in)"

timer_start
"$WINE" "$installer" /S
wineserver -w
timer_end "silent install"
[ -f "$appdir/lead-navigator.exe" ] || fail "no lead-navigator.exe in Program Files"
[ -f "$appdir/uninstall.exe" ] || fail "no uninstall.exe"
[ -f "$drive/ProgramData/Microsoft/Windows/Start Menu/Programs/Lead Navigator.lnk" ] || fail "no Start menu shortcut"
command=$("$WINE" reg query 'HKLM\Software\Classes\leadnavigator\shell\open\command' /ve 2>/dev/null | tr -d '\r' | grep REG_SZ)
echo "URL handler: ${command#*REG_SZ}"
[[ $command == *'"C:\Program Files\Lead Navigator\lead-navigator.exe" "%1"'* ]] || fail "URL handler command not quoted: $command"
"$WINE" reg query 'HKLM\Software\Microsoft\Windows\CurrentVersion\Uninstall\LeadNavigator' /v DisplayVersion 2>/dev/null |
	grep -q "$VERSION" || fail "no uninstall entry with version $VERSION"

timer_start
got=$("$WINE" "$exe" --version | tr -d '\r')
timer_end "--version ($got)"
[[ $got == "lead-navigator $VERSION (windows/amd64"* ]] || fail "--version printed '$got'"

timer_start
"$WINE" "$exe" sample --kind buyers --rows 5000 --seed 7 --end 2025-06-30 --out 'C:\buyers.csv' >/dev/null
timer_end "sample (5,000 buyers)"
"$linux_bin" sample --kind buyers --rows 5000 --seed 7 --end 2025-06-30 --out "$work/linux-buyers.csv" >/dev/null
cmp "$drive/buyers.csv" "$work/linux-buyers.csv" || fail "sample output differs from the Linux build"
echo "sample: byte-identical to the Linux build ($(wc -c < "$work/linux-buyers.csv") bytes)"

timer_start
"$WINE" "$exe" import --data-dir 'C:\lndata' --workspace Check 'C:\buyers.csv' | tr -d '\r' > "$work/win-import.json"
timer_end "import (DuckDB, Windows credential store)"
"$linux_bin" import --data-dir "$work/linux-data" --mock-keyring --workspace Check "$work/linux-buyers.csv" > "$work/linux-import.json"
strip_seconds() { sed -E 's/"seconds":[0-9.e+-]+,//' "$1"; }
diff <(strip_seconds "$work/win-import.json") <(strip_seconds "$work/linux-import.json") ||
	fail "import summaries differ"
echo "import: $(grep -o '"rows":[0-9]*' "$work/win-import.json"), same summary as the Linux build"
[ -f "$drive/lndata/app.db" ] || fail "import wrote no app.db"

port_win=$((20000 + RANDOM % 10000)) port_linux=$((30000 + RANDOM % 10000))
"$WINE" "$exe" serve --addr "127.0.0.1:$port_win" --data-dir 'C:\lnserve' --mock-keyring >"$work/serve-win.log" 2>&1 &
serve_pids+=($!)
"$linux_bin" serve --addr "127.0.0.1:$port_linux" --data-dir "$work/serve-linux" --mock-keyring >"$work/serve-linux.log" 2>&1 &
serve_pids+=($!)
for url in "http://127.0.0.1:$port_win" "http://127.0.0.1:$port_linux"; do
	for _ in $(seq 120); do curl -fsS "$url/" >/dev/null 2>&1 && break; sleep 0.5; done
	curl -fsS "$url/" >/dev/null || { cat "$work"/serve-*.log; fail "$url never answered"; }
done
timer_start
node scripts/package/serve-compare.mjs "http://127.0.0.1:$port_linux" "http://127.0.0.1:$port_win" "$work/linux-buyers.csv"
timer_end "serve: Register + ImportFile + BuyersDashboard on both"
kill "${serve_pids[@]}" 2>/dev/null || true
serve_pids=()
wineserver -k 2>/dev/null || true

timer_start
"$WINE" 'C:\Program Files\Lead Navigator\uninstall.exe' /S
wineserver -w # the uninstaller re-runs itself from a temporary copy
timer_end "silent uninstall"
[ ! -e "$appdir" ] || fail "Program Files\\Lead Navigator is still there: $(ls "$appdir")"
[ ! -e "$drive/ProgramData/Microsoft/Windows/Start Menu/Programs/Lead Navigator.lnk" ] || fail "Start menu shortcut left"
! "$WINE" reg query 'HKLM\Software\Classes\leadnavigator' >/dev/null 2>&1 || fail "leadnavigator:// still registered"
! "$WINE" reg query 'HKLM\Software\Microsoft\Windows\CurrentVersion\Uninstall\LeadNavigator' >/dev/null 2>&1 ||
	fail "uninstall entry left"
echo "uninstall: program files, shortcut, URL scheme and uninstall entry removed"
echo "Windows installer under Wine: OK"
