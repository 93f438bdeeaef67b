#!/usr/bin/env bash
# make package-check: proves the Linux packages (and, where Wine and the
# Windows installer are here, the Windows one) work as installed:
#   - the .deb unpacked into a clean folder root (dpkg -x): --version,
#     sample, import and the window smoke test from the installed path;
#     desktop-file-validate; icons, man page, dependencies; the scheme
#     handler as xdg-mime sees it;
#   - PACKAGE_CHECK_APT=1 (CI): apt-get install ./x.deb, then
#     xdg-mime query default x-scheme-handler/leadnavigator;
#   - the WebKitGTK 4.0 .deb, the portable .tar.gz (install.sh) and the
#     AppDir (AppRun, window smoke test);
#   - cold start of the installed app under Xvfb (launch -> login screen);
#   - installer sizes; the Windows installer under Wine (check-wine.sh)
#     unless PACKAGE_CHECK_WINE=0.
# Builds the Linux packages first when dist/ has none for this version.
source "$(dirname "$0")/lib.sh"

arch=$(dpkg --print-architecture)
deb=$(artifact linux "$arch" deb)
deb40=$(artifact linux-webkit40 "$arch" deb)
tarball=$(artifact linux "$arch" tar.gz)
if [ ! -f "$deb" ] || [ ! -f "$deb40" ] || [ ! -f "$tarball" ] || [ ! -d "$STAGE/AppDir" ]; then
	bash scripts/package/linux.sh
fi

work=$(mktemp -d /tmp/ln-package-check.XXXX)
trap 'rm -rf "$work"' EXIT
passed=0
failed=0
ok() { echo "ok   $*"; passed=$((passed + 1)); }
bad() { echo "FAIL $*"; failed=$((failed + 1)); }
# check NAME COMMAND...: runs COMMAND, counts and reports it.
check() {
	local name=$1
	shift
	if out=$("$@" 2>&1); then ok "$name"; else bad "$name"; echo "$out" | tail -20 | sed 's/^/     /'; fi
}

# Headless desktop session for the window: no keychain bus, no a11y bridge.
export DBUS_SESSION_BUS_ADDRESS=disabled: NO_AT_BRIDGE=1

# installed_checks BIN LABEL: the headless subcommands of an installed binary.
installed_checks() {
	local bin=$1 label=$2 dir="$work/$2"
	mkdir -p "$dir"
	check "$label: --version prints $VERSION" bash -c "'$bin' --version | grep -q '^lead-navigator $VERSION ('"
	check "$label: sample writes 2,000 buyers" bash -c "'$bin' sample --kind buyers --rows 2000 --out '$dir/buyers.csv' >/dev/null &&
		[ \$(wc -l < '$dir/buyers.csv') -eq 2001 ]"
	check "$label: import into DuckDB reports 2,000 rows" bash -c "'$bin' import --data-dir '$dir/data' --mock-keyring \
		--workspace Check '$dir/buyers.csv' | grep -q '\"rows\":2000,' && [ -f '$dir/data/app.db' ]"
}

window_check() {
	local bin=$1 label=$2
	check "$label: window smoke test (Xvfb, WebKitGTK)" bash -c "cd frontend && LN_BIN='$bin' node --test tests/window.test.js"
}

echo "== $(basename "$deb") unpacked with dpkg -x"
root="$work/root"
dpkg -x "$deb" "$root"
bin="$root/usr/bin/$APP"
installed_checks "$bin" deb
window_check "$bin" deb
check "deb: desktop-file-validate" desktop-file-validate "$root/usr/share/applications/lead-navigator.desktop"
check "deb: icons at 16..512 px" bash -c "for n in 16 24 32 48 64 128 256 512; do
	[ -s '$root/usr/share/icons/hicolor/'\$n'x'\$n'/apps/lead-navigator.png' ] || exit 1; done"
check "deb: man page" bash -c "gzip -t '$root/usr/share/man/man1/lead-navigator.1.gz' &&
	zcat '$root/usr/share/man/man1/lead-navigator.1.gz' | grep -q 'Lead Navigator $VERSION'"
check "deb: links WebKitGTK 4.1, Depends on it" bash -c "ldd '$bin' | grep -q libwebkit2gtk-4.1 &&
	dpkg-deb -f '$deb' Depends | grep -q libwebkit2gtk-4.1"
check "deb: desktop entry handles x-scheme-handler/leadnavigator" bash -c "
	export HOME='$work/home' XDG_DATA_HOME='$work/home/.local/share' XDG_CONFIG_HOME='$work/home/.config' \
		XDG_DATA_DIRS='$root/usr/share' XDG_CURRENT_DESKTOP=X-Generic
	mkdir -p \"\$HOME\" && update-desktop-database '$root/usr/share/applications' &&
	[ \"\$(xdg-mime query default x-scheme-handler/leadnavigator)\" = lead-navigator.desktop ]"

if [ "${PACKAGE_CHECK_APT:-0}" = 1 ]; then
	echo "== apt-get install ./$(basename "$deb")"
	check "apt-get install ./deb" $SUDO apt-get install -y -q "$deb"
	check "installed: /usr/bin/lead-navigator --version" bash -c "lead-navigator --version | grep -q '$VERSION'"
	check "installed: xdg-mime names the installed entry" bash -c \
		"[ \"\$(XDG_CURRENT_DESKTOP=X-Generic xdg-mime query default x-scheme-handler/leadnavigator)\" = lead-navigator.desktop ]"
	window_check /usr/bin/lead-navigator installed
fi

echo "== $(basename "$deb40")"
root40="$work/root40"
dpkg -x "$deb40" "$root40"
installed_checks "$root40/usr/bin/$APP" deb-webkit40
check "deb-webkit40: links WebKitGTK 4.0, Depends on it" bash -c "ldd '$root40/usr/bin/$APP' | grep -q libwebkit2gtk-4.0 &&
	dpkg-deb -f '$deb40' Depends | grep -q libwebkit2gtk-4.0"
window_check "$root40/usr/bin/$APP" deb-webkit40

echo "== $(basename "$tarball")"
mkdir -p "$work/tar" "$work/tarhome"
tar -C "$work/tar" -xzf "$tarball"
portable="$work/tar/$APP-$VERSION"
check "tar.gz: ./lead-navigator --version" bash -c "'$portable/$APP' --version | grep -q '$VERSION'"
check "tar.gz: install.sh installs for the user, --uninstall removes" bash -c "
	export HOME='$work/tarhome'
	'$portable/install.sh' >/dev/null && [ -x \"\$HOME/.local/bin/lead-navigator\" ] &&
	grep -q \"^Exec=\$HOME/.local/bin/lead-navigator %u\" \"\$HOME/.local/share/applications/lead-navigator.desktop\" &&
	'$portable/install.sh' --uninstall >/dev/null && [ ! -e \"\$HOME/.local/bin/lead-navigator\" ] &&
	[ -z \"\$(find \"\$HOME/.local\" -type f ! -name '*.cache')\" ]" # the desktop/icon caches are not ours

echo "== AppDir (the AppImage's contents)"
appdir="$STAGE/AppDir"
installed_checks "$appdir/AppRun" appdir
window_check "$appdir/AppRun" appdir
check "appdir: desktop entry and icon at the top" bash -c "desktop-file-validate '$appdir/lead-navigator.desktop' &&
	[ -s '$appdir/lead-navigator.png' ] && [ -e '$appdir/.DirIcon' ]"

echo "== cold start of the installed app under Xvfb (launch -> login screen ready; fresh data folder)"
# Xvfb is started once, outside the timing; each run starts the binary
# with a new data folder (first start after install: creates app.db) and
# stops the clock at "SMOKE: frontend ready", printed when the page has
# restored (no) session and shows the login screen.
cold=$(xvfb-run -a -s '-screen 0 1400x900x24' bash -c '
	for i in 1 2 3; do
		d=$(mktemp -d)
		t0=$(date +%s%N)
		"$0" --smoke --data-dir "$d" 2>&1 | while IFS= read -r line; do
			[ "$line" = "SMOKE: frontend ready" ] && echo $(( ($(date +%s%N) - t0) / 1000000 ))
		done
		rm -rf "$d"
	done' "$bin" | tr '\n' ' ')
if [ -n "$cold" ]; then ok "cold start (ms, 3 runs): $cold"; else bad "cold start: the window never became ready"; fi

echo "== installer sizes"
for f in "$DIST"/${APP}_"$VERSION"_*; do
	[ -f "$f" ] && printf '  %-52s %s\n' "$(basename "$f")" "$(human_size "$f")"
done

if [ "${PACKAGE_CHECK_WINE:-1}" = 1 ] && [ -f "$(artifact windows amd64 exe)" ] && { command -v wine64 >/dev/null || [ -x /usr/lib/wine/wine64 ]; }; then
	echo "== Windows installer under Wine"
	if bash scripts/package/check-wine.sh "$bin"; then ok "windows installer under Wine"; else bad "windows installer under Wine"; fi
else
	echo "(Windows installer under Wine: skipped: needs dist/$(basename "$(artifact windows amd64 exe)") and wine64; PACKAGE_CHECK_WINE=${PACKAGE_CHECK_WINE:-1})"
fi

echo
echo "package-check: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
