#!/usr/bin/env bash
# Linux installers into dist/ (see docs/packaging.md):
#   lead-navigator_<v>_linux_<arch>.deb          WebKitGTK 4.1 (Debian 12+, Ubuntu 22.04+)
#   lead-navigator_<v>_linux-webkit40_<arch>.deb WebKitGTK 4.0 (distributions without 4.1)
#   lead-navigator_<v>_linux_<arch>.tar.gz       portable: binary, desktop entry, icons, man page, install.sh
#   dist/.stage/AppDir                           the AppImage contents (scripts/package/appimage.sh
#                                                turns it into the .AppImage where appimagetool is available)
source "$(dirname "$0")/lib.sh"
check_tag

DEB_ARCH=$(dpkg --print-architecture)
# LINUX_REUSE_BINARIES=1 keeps the binaries of the last run (when only the
# packaging changed: a build takes long on 2 cores).
if [ "${LINUX_REUSE_BINARIES:-0}" != 1 ]; then
	rm -rf "$STAGE/linux"
fi
rm -rf "$STAGE/linux"/deb.* "$STAGE/linux/tar"
mkdir -p "$STAGE/linux" "$DIST"

# build_binary TAGS NAME: a production build into $STAGE/linux/NAME. The
# frontend is built once, by the first call.
build_binary() {
	local tags=$1 name=$2 skip_frontend=()
	[ -x "$STAGE/linux/$name" ] && return 0 # reused (LINUX_REUSE_BINARIES=1)
	[ -f "$STAGE/linux/.frontend-built" ] && skip_frontend=(-s)
	say "wails build ${tags:+-tags $tags} -> $name"
	"$WAILS" build "${WAILS_FLAGS[@]}" ${skip_frontend[@]+"${skip_frontend[@]}"} ${tags:+-tags "$tags"} \
		-ldflags "$LDFLAGS" -o "$name"
	mv "build/bin/$name" "$STAGE/linux/$name"
	touch "$STAGE/linux/.frontend-built"
}

# share_tree DIR: desktop entry, icons and man page under DIR (a /usr/share).
share_tree() {
	local share=$1
	install -Dm644 build/linux/lead-navigator.desktop "$share/applications/lead-navigator.desktop"
	$GO run ./scripts/package/icons build/appicon.png "$share/icons/hicolor"
	mkdir -p "$share/man/man1"
	sed "s/@VERSION@/$VERSION/" build/linux/lead-navigator.1 | gzip -9n > "$share/man/man1/lead-navigator.1.gz"
}

# make_deb BINARY OUT: a .deb with BINARY as /usr/bin/lead-navigator.
make_deb() {
	local binary=$1 out=$2 root
	root=$(mktemp -d "$STAGE/linux/deb.XXXX")
	chmod 755 "$root" # mktemp's 0700 would become the mode of / in the package
	install -Dm755 "$binary" "$root/usr/bin/$APP"
	share_tree "$root/usr/share"
	install -Dm644 build/linux/copyright "$root/usr/share/doc/$APP/copyright"
	mkdir -p "$root/DEBIAN"
	local depends size
	depends=$(shlib_depends "$root/usr/bin/$APP")
	size=$(du -sk --exclude=DEBIAN "$root" | cut -f1)
	sed -e "s/@VERSION@/$VERSION/" -e "s/@ARCH@/$DEB_ARCH/" -e "s/@DEPENDS@/$depends/" \
		-e "s/@SIZE@/$size/" build/linux/control > "$root/DEBIAN/control"
	# Desktop database and icon cache are refreshed by dpkg triggers
	# (desktop-file-utils, hicolor-icon-theme): no maintainer scripts.
	dpkg-deb --root-owner-group -Zxz --build "$root" "$out" >/dev/null
	echo "$(basename "$out"): $(human_size "$out"), Depends: $depends"
}

# shlib_depends BINARY: the Depends line dpkg-shlibdeps computes from the
# libraries BINARY links (WebKitGTK 4.0 or 4.1, GTK 3, glibc, ...).
shlib_depends() {
	local dir line
	dir=$(mktemp -d) && mkdir "$dir/debian" && touch "$dir/debian/control"
	line=$(cd "$dir" && dpkg-shlibdeps -O "$1" 2>/dev/null)
	rm -rf "$dir"
	echo "${line#shlibs:Depends=}"
}

make_tarball() {
	local binary=$1 out=$2 top="$APP-$VERSION"
	local dir="$STAGE/linux/tar/$top"
	mkdir -p "$dir"
	install -Dm755 "$binary" "$dir/$APP"
	share_tree "$dir/share"
	install -m755 build/linux/install.sh "$dir/install.sh"
	sed "s/@VERSION@/$VERSION/" build/linux/README.portable > "$dir/README"
	tar -C "$STAGE/linux/tar" --owner=0 --group=0 --sort=name -czf "$out" "$top"
	echo "$(basename "$out"): $(human_size "$out")"
}

# make_appdir BINARY: the AppImage's contents. AppRun starts the binary;
# the desktop entry and icon sit at the top as the AppImage format asks.
make_appdir() {
	local binary=$1 dir="$STAGE/AppDir"
	rm -rf "$dir" && mkdir -p "$dir/usr/bin"
	install -m755 "$binary" "$dir/usr/bin/$APP"
	share_tree "$dir/usr/share"
	install -m755 build/linux/AppRun "$dir/AppRun"
	cp build/linux/lead-navigator.desktop "$dir/lead-navigator.desktop"
	cp "$dir/usr/share/icons/hicolor/256x256/apps/lead-navigator.png" "$dir/lead-navigator.png"
	ln -sf lead-navigator.png "$dir/.DirIcon"
	install -Dm644 build/linux/lead-navigator.appdata.xml "$dir/usr/share/metainfo/lead-navigator.appdata.xml"
	echo "AppDir: $dir ($(du -sh "$dir" | cut -f1))"
}

build_binary webkit2_41 "$APP-webkit41"
build_binary "" "$APP-webkit40"

say "packages"
make_deb "$STAGE/linux/$APP-webkit41" "$(artifact linux "$DEB_ARCH" deb)"
make_deb "$STAGE/linux/$APP-webkit40" "$(artifact linux-webkit40 "$DEB_ARCH" deb)"
make_tarball "$STAGE/linux/$APP-webkit41" "$(artifact linux "$DEB_ARCH" tar.gz)"
make_appdir "$STAGE/linux/$APP-webkit41"
