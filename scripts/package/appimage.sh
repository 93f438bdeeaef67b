#!/usr/bin/env bash
# dist/lead-navigator_<v>_linux_<arch>.AppImage from the AppDir linux.sh
# built (dist/.stage/AppDir). Needs appimagetool, which is not in Debian and
# downloads the AppImage runtime when it runs; the CI workflow fetches it
# (APPIMAGETOOL=/path/to/appimagetool). Without it this says so and stops
# without failing, so `make package` still builds everything else.
source "$(dirname "$0")/lib.sh"

appdir="$STAGE/AppDir"
[ -x "$appdir/AppRun" ] || { echo "appimage.sh: no AppDir; run scripts/package/linux.sh first" >&2; exit 1; }
tool=${APPIMAGETOOL:-$(command -v appimagetool || true)}
if [ -z "$tool" ]; then
	echo "AppImage: skipped (no appimagetool here: it is not packaged by Debian and needs the AppImage runtime from the network; the CI workflow builds the .AppImage from the same AppDir)"
	exit 0
fi
case $(dpkg --print-architecture) in
	amd64) export ARCH=x86_64 ;;
	arm64) export ARCH=aarch64 ;;
esac
out=$(artifact linux "$(dpkg --print-architecture)" AppImage)
# No FUSE in containers: let appimagetool (itself an AppImage) unpack itself.
APPIMAGE_EXTRACT_AND_RUN=1 "$tool" --no-appstream "$appdir" "$out"
chmod +x "$out"
APPIMAGE_EXTRACT_AND_RUN=1 "$out" --version
echo "$(basename "$out"): $(human_size "$out")"
