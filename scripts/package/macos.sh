#!/usr/bin/env bash
# macOS installer into dist/ (run on a Mac: make package-macos):
#   lead-navigator_<v>_macos_universal.dmg   "Lead Navigator.app" (arm64 + x86_64), drag to Applications
#
# Signing and notarization run when their credentials are in the environment
# and are skipped with a message otherwise (an unsigned app opens after
# right-click > Open):
#   MACOS_SIGN_IDENTITY   a "Developer ID Application: ..." identity in the keychain
#   MACOS_NOTARY_PROFILE  a notarytool keychain profile (xcrun notarytool store-credentials), or
#   MACOS_NOTARY_APPLE_ID, MACOS_NOTARY_PASSWORD (app-specific), MACOS_NOTARY_TEAM_ID
source "$(dirname "$0")/lib.sh"
check_tag

if [ "$(uname -s)" != Darwin ]; then
	# Wails cannot cross-build macOS apps: `wails build -platform darwin/...`
	# only prints a warning and exits 0 without building anything.
	echo "make package-macos runs on macOS (Xcode command line tools, Go, Node.js); this is $(uname -s)." >&2
	echo "The CI workflow (.github/workflows/package.yml) builds the .dmg on a macOS runner." >&2
	exit 1
fi

# DuckDB's darwin libraries need macOS 11; Info.plist says the same.
export MACOSX_DEPLOYMENT_TARGET=11.0 CGO_ENABLED=1
app="build/bin/Lead Navigator.app"
rm -rf "$app"
say "wails build -platform darwin/universal"
"$WAILS" build "${WAILS_FLAGS[@]}" -platform darwin/universal -ldflags "$LDFLAGS"

# Check what was built instead of trusting the exit code.
exe="$app/Contents/MacOS/$APP"
[ -x "$exe" ] || { echo "macos.sh: $exe was not built" >&2; exit 1; }
plutil -lint "$app/Contents/Info.plist"
archs=$(lipo -archs "$exe")
[[ $archs == *x86_64* && $archs == *arm64* ]] || { echo "macos.sh: $exe is not universal ($archs)" >&2; exit 1; }
"$exe" --version

if [ -n "${MACOS_SIGN_IDENTITY:-}" ]; then
	say "codesign ($MACOS_SIGN_IDENTITY)"
	codesign --force --deep --options runtime --timestamp --sign "$MACOS_SIGN_IDENTITY" "$app"
	codesign --verify --deep --strict --verbose=2 "$app"
else
	echo "codesign: skipped (MACOS_SIGN_IDENTITY is not set; the app is unsigned)"
fi

dmg=$(artifact macos universal dmg)
mkdir -p "$DIST" && rm -f "$dmg"
stage=$(mktemp -d)
cp -R "$app" "$stage/"
ln -s /Applications "$stage/Applications"
say "hdiutil -> $(basename "$dmg")"
hdiutil create -volname "Lead Navigator $VERSION" -srcfolder "$stage" -ov -format UDZO "$dmg"
rm -rf "$stage"
[ -n "${MACOS_SIGN_IDENTITY:-}" ] && codesign --force --timestamp --sign "$MACOS_SIGN_IDENTITY" "$dmg"

notary=()
if [ -n "${MACOS_NOTARY_PROFILE:-}" ]; then
	notary=(--keychain-profile "$MACOS_NOTARY_PROFILE")
elif [ -n "${MACOS_NOTARY_APPLE_ID:-}" ] && [ -n "${MACOS_NOTARY_PASSWORD:-}" ] && [ -n "${MACOS_NOTARY_TEAM_ID:-}" ]; then
	notary=(--apple-id "$MACOS_NOTARY_APPLE_ID" --password "$MACOS_NOTARY_PASSWORD" --team-id "$MACOS_NOTARY_TEAM_ID")
fi
if [ ${#notary[@]} -gt 0 ] && [ -n "${MACOS_SIGN_IDENTITY:-}" ]; then
	say "notarize"
	xcrun notarytool submit "$dmg" "${notary[@]}" --wait
	xcrun stapler staple "$dmg"
else
	echo "notarize: skipped (needs MACOS_SIGN_IDENTITY and MACOS_NOTARY_PROFILE or MACOS_NOTARY_APPLE_ID/PASSWORD/TEAM_ID)"
fi
echo "$(basename "$dmg"): $(du -h "$dmg" | cut -f1)"
