# Shared by the scripts in scripts/package (sourced, not run).
# Every installer is named lead-navigator_<version>_<os>_<arch>.<ext> in dist/.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
cd "$ROOT"
export PATH=/usr/local/go/bin:/usr/local/bin:$PATH

GO=${GO:-go}
WAILS=${WAILS:-$($GO env GOPATH)/bin/wails}
DIST=${DIST:-$ROOT/dist}
STAGE=$DIST/.stage # work files; not shipped
APP=lead-navigator

# The one version: backend/version/VERSION (see backend/version).
VERSION=$(tr -d '[:space:]' < backend/version/VERSION)
COMMIT=$(git rev-parse --short HEAD 2>/dev/null || echo unknown)
LDFLAGS="-X leadnavigator/backend/version.commit=$COMMIT"
# -m: no go mod tidy; -nosyncgomod: leave go.mod alone; -skipbindings: the
# frontend needs no generated JS; -trimpath: no build paths in the binary.
WAILS_FLAGS=(-m -nosyncgomod -skipbindings -nocolour -trimpath)

# artifact OS ARCH EXT: the path of an installer in dist/.
artifact() { echo "$DIST/${APP}_${VERSION}_$1_$2.$3"; }

say() { printf '\n== %s\n' "$*"; }

# A release tag (vX.Y.Z on HEAD) must name the same version as VERSION.
check_tag() {
	local tag
	tag=$(git describe --tags --exact-match 2>/dev/null || true)
	if [[ $tag == v* && ${tag#v} != "$VERSION" ]]; then
		echo "HEAD is tagged $tag but backend/version/VERSION says $VERSION" >&2
		exit 1
	fi
}

# human_size FILE: its size in MB, for the summaries.
human_size() { awk -v b="$(wc -c < "$1")" 'BEGIN { printf "%.1f MB", b / 1e6 }'; }
