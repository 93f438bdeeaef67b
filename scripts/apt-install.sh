#!/usr/bin/env bash
# Installs the named Debian packages that are not installed yet; does
# nothing (not even apt-get update) when they all are. Root or sudo.
set -euo pipefail

missing=()
for pkg in "$@"; do
	status=$(dpkg-query -W -f='${db:Status-Status}' "$pkg" 2>/dev/null || true)
	[ "$status" = installed ] || missing+=("$pkg")
done
[ ${#missing[@]} -eq 0 ] && exit 0

SUDO=${SUDO-$([ "$(id -u)" = 0 ] || echo sudo)} # the Makefile passes $(SUDO)
echo "apt-get install ${missing[*]}"
$SUDO env DEBIAN_FRONTEND=noninteractive apt-get update -q
$SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -q "${missing[@]}"
