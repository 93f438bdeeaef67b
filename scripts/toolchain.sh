#!/usr/bin/env bash
# Makes sure Go (the version go.mod asks for, or newer) and Node.js >= 20.19
# (Vite 8) are installed, installing the official builds under /usr/local
# when they are missing or too old (Debian 12 ships Go 1.19 and Node 18).
# Does nothing when both are fine. Root or sudo.
set -euo pipefail
cd "$(dirname "$0")/.."

NODE_VERSION=22.12.0
go_want=$(awk '$1 == "go" {print $2; exit}' go.mod)
arch=$(dpkg --print-architecture) # amd64 or arm64
SUDO=${SUDO-$([ "$(id -u)" = 0 ] || echo sudo)} # the Makefile passes $(SUDO)

# version_ge A B: A >= B for dotted versions.
version_ge() { [ "$(printf '%s\n%s\n' "$1" "$2" | sort -V | head -n1)" = "$2" ]; }

go_have=$(PATH=/usr/local/go/bin:$PATH go env GOVERSION 2>/dev/null | sed 's/^go//' || true)
if [ -z "$go_have" ] || ! version_ge "$go_have" "$go_want"; then
	echo "installing Go $go_want into /usr/local/go (found: ${go_have:-none})"
	curl -fsSL "https://go.dev/dl/go${go_want}.linux-${arch}.tar.gz" -o /tmp/go.tar.gz
	$SUDO rm -rf /usr/local/go
	$SUDO tar -C /usr/local -xzf /tmp/go.tar.gz
	rm -f /tmp/go.tar.gz
fi

node_have=$(node --version 2>/dev/null | sed 's/^v//' || true)
if [ -z "$node_have" ] || ! version_ge "$node_have" 20.19.0; then
	echo "installing Node.js $NODE_VERSION into /usr/local (found: ${node_have:-none})"
	node_arch=${arch/amd64/x64}
	curl -fsSL "https://nodejs.org/dist/v${NODE_VERSION}/node-v${NODE_VERSION}-linux-${node_arch}.tar.xz" -o /tmp/node.tar.xz
	$SUDO tar -C /usr/local --strip-components=1 -xJf /tmp/node.tar.xz
	rm -f /tmp/node.tar.xz
fi
