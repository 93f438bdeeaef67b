#!/usr/bin/env bash
# Sets the app's version: backend/version/VERSION (the one source) and its
# mirror in wails.json (info.productVersion, which Wails stamps into the
# Windows version resource and the macOS Info.plist).
#   scripts/package/set-version.sh 0.2.0
# Tag the release commit v0.2.0; the packaging scripts refuse a tag that
# names another version.
set -euo pipefail
cd "$(dirname "$0")/../.."
v=${1:?usage: set-version.sh MAJOR.MINOR.PATCH}
[[ $v =~ ^[0-9]+\.[0-9]+\.[0-9]+$ ]] || { echo "set-version.sh: $v is not MAJOR.MINOR.PATCH" >&2; exit 1; }
echo "$v" > backend/version/VERSION
sed -i.bak -E 's/("productVersion": *")[^"]*"/\1'"$v"'"/' wails.json && rm -f wails.json.bak
grep -q "\"productVersion\": \"$v\"" wails.json || { echo "set-version.sh: could not update wails.json" >&2; exit 1; }
echo "version $v (backend/version/VERSION, wails.json)"
