#!/bin/sh
# Installs the portable Lead Navigator for this user (~/.local), or for
# every user with --system (/usr/local, needs root): the binary, its menu
# entry (which also opens leadnavigator:// links), icons and man page.
#   ./install.sh [--system]     ./install.sh --uninstall [--system]
set -eu
HERE=$(dirname "$(readlink -f "$0")")
PREFIX="$HOME/.local"
UNINSTALL=no
for arg in "$@"; do
	case $arg in
	--system) PREFIX=/usr/local ;;
	--uninstall) UNINSTALL=yes ;;
	*) echo "usage: $0 [--system] [--uninstall]" >&2; exit 2 ;;
	esac
done
SHARE="$PREFIX/share"
files() { (cd "$HERE/share" && find . -type f) | sed "s|^\./|$SHARE/|"; }

if [ "$UNINSTALL" = yes ]; then
	rm -f "$PREFIX/bin/lead-navigator" $(files)
	echo "removed Lead Navigator from $PREFIX (your data in ~/.config/lead-navigator is kept)"
else
	mkdir -p "$PREFIX/bin"
	install -m755 "$HERE/lead-navigator" "$PREFIX/bin/lead-navigator"
	(cd "$HERE/share" && find . -type f) | while read -r f; do
		mkdir -p "$(dirname "$SHARE/$f")"
		cp "$HERE/share/$f" "$SHARE/$f"
	done
	# The menu entry starts `lead-navigator`: name the full path, since
	# ~/.local/bin is not on every desktop session's PATH.
	sed -i "s|^Exec=lead-navigator |Exec=$PREFIX/bin/lead-navigator |" "$SHARE/applications/lead-navigator.desktop"
	echo "installed Lead Navigator into $PREFIX: start it from the applications menu or run $PREFIX/bin/lead-navigator"
fi
command -v update-desktop-database >/dev/null && update-desktop-database -q "$SHARE/applications" || true
command -v gtk-update-icon-cache >/dev/null && gtk-update-icon-cache -q -t "$SHARE/icons/hicolor" 2>/dev/null || true
