#!/usr/bin/env bash
# Windows installer into dist/: lead-navigator_<v>_windows_amd64.exe, a
# 64-bit NSIS installer (build/windows/installer/project.nsi) around the
# Wails binary, cross-built on Linux with MinGW-w64 (see docs/packaging.md).
#
# Why each setting:
#   CGO_ENABLED=1   Wails leaves cgo off for a cross build; without it the
#                   DuckDB windows-amd64 library is left out and nothing links.
#   *-posix         the win32 thread model of Debian's MinGW lacks the
#                   pthread/std::thread symbols DuckDB uses.
#   -tags msvcrtshim  DuckDB's library was built against the UCRT; Debian's
#                   MinGW links msvcrt (backend/msvcrtshim fills the gap).
source "$(dirname "$0")/lib.sh"
check_tag

export CGO_ENABLED=1
export CC=${WINDOWS_CC:-x86_64-w64-mingw32-gcc-posix}
export CXX=${WINDOWS_CXX:-x86_64-w64-mingw32-g++-posix}
TAGS=${WINDOWS_TAGS:-msvcrtshim}
OBJDUMP=${OBJDUMP:-x86_64-w64-mingw32-objdump}

for tool in "$CC" "$CXX" makensis; do
	command -v "$tool" >/dev/null || { echo "windows.sh: $tool not found (make package-deps installs it)" >&2; exit 1; }
done

out_dir="$STAGE/windows"
rm -rf "$out_dir" && mkdir -p "$out_dir" "$DIST"
skip_frontend=()
[ -f frontend/dist/index.html ] && [ "${SKIP_FRONTEND:-}" = 1 ] && skip_frontend=(-s)

if [ -n "${WINDOWS_BINARY:-}" ]; then
	# Reuse a binary built before (the cross-build takes long on 2 cores)
	# when only the installer script changed.
	cp "$WINDOWS_BINARY" "$out_dir/$APP.exe"
else
	say "wails build -platform windows/amd64 (CC=$CC, tags $TAGS)"
	"$WAILS" build "${WAILS_FLAGS[@]}" ${skip_frontend[@]+"${skip_frontend[@]}"} -platform windows/amd64 -tags "$TAGS" \
		-ldflags "$LDFLAGS" -o "$APP.exe"
	mv "build/bin/$APP.exe" "$out_dir/$APP.exe"
fi

# The binary must need only DLLs every Windows has: no MinGW runtime DLLs
# (libstdc++, libgcc, libwinpthread) to ship beside it.
if command -v "$OBJDUMP" >/dev/null; then
	dlls=$("$OBJDUMP" -p "$out_dir/$APP.exe" | awk '/DLL Name:/ {print $3}' | sort -u | tr '\n' ' ')
	echo "imports: $dlls"
	if grep -Eiq 'libstdc|libgcc|libwinpthread' <<<"$dlls"; then
		echo "windows.sh: $APP.exe needs MinGW DLLs ($dlls); link statically" >&2
		exit 1
	fi
fi

# Microsoft's WebView2 bootstrapper, as shipped inside the Wails module.
wails_dir=$($GO list -m -f '{{.Dir}}' github.com/wailsapp/wails/v2)
webview2="$wails_dir/internal/webview2runtime/MicrosoftEdgeWebview2Setup.exe"

installer=$(artifact windows amd64 exe)
say "makensis -> $(basename "$installer")"
makensis -V2 -DVERSION="$VERSION" -DBINARY="$out_dir/$APP.exe" -DWEBVIEW2_SETUP="$webview2" \
	-DOUTFILE="$installer" build/windows/installer/project.nsi
echo "$(basename "$installer"): $(human_size "$installer") (binary $(human_size "$out_dir/$APP.exe"))"
