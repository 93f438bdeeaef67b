#!/usr/bin/env bash
# dist/SHA256SUMS over this version's installers (sha256sum -c SHA256SUMS checks them).
source "$(dirname "$0")/lib.sh"
cd "$DIST"
shopt -s nullglob
files=("${APP}_${VERSION}_"*)
[ ${#files[@]} -gt 0 ] || { echo "sums.sh: no installers for $VERSION in $DIST" >&2; exit 1; }
sha256sum "${files[@]}" > SHA256SUMS
echo "== dist/ ($VERSION)"
for f in "${files[@]}"; do printf '  %-52s %s\n' "$f" "$(human_size "$f")"; done
echo "  SHA256SUMS"
