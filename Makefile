# Lead Navigator: set-up, build, run and checks.
#   make run    install what is missing, build, create sample files, start the app
#   make test   install what is missing (also test tools), build, run every test
#   make build | bench | fuzz   see README.md
# Installs use apt-get and /usr/local: run as root or with sudo available.

SHELL := /bin/bash
.SHELLFLAGS := -euo pipefail -c
.DEFAULT_GOAL := build

export PATH := /usr/local/go/bin:/usr/local/bin:$(PATH)
export DEBIAN_FRONTEND := noninteractive

SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
export SUDO
GO ?= go
# The Wails CLI lives in GOPATH/bin (evaluated when used: Go may not be
# installed yet when make starts).
WAILS = $(shell $(GO) env GOPATH)/bin/wails
WAILS_VERSION := v2.9.2
# -m: no `go mod tidy`; -nosyncgomod: leave go.mod alone; -skipbindings:
# the frontend calls window.go.* directly and needs no generated JS.
WAILS_BUILD_FLAGS := -m -nosyncgomod -skipbindings -nocolour

BIN := build/bin/lead-navigator
SAMPLES_DIR := $(HOME)/LeadNavigatorSamples
SAMPLE_ROWS := 100000
GO_TEST_FLAGS := -p 2 -timeout 15m
FUZZ_TARGET := FuzzSniff
FUZZ_PKG := ./backend/ingest
FUZZ_TIME := 60s
BENCH_ARGS :=

# Debian 12 packages: build tools, GTK 3 and WebKitGTK 4.0 (Wails v2.9.2
# links webkit2gtk-4.0 unless built with -tags webkit2_41), and what the
# tests add: Chromium, a virtual X server, pandas for cross-checks.
APT_BUILD := build-essential pkg-config libgtk-3-dev libwebkit2gtk-4.0-dev curl ca-certificates xz-utils
APT_TEST := chromium xvfb xauth python3-pandas

.PHONY: deps test-deps system-deps toolchain frontend-deps wails-cli build run samples test smoke screenshot bench fuzz clean

## deps: everything needed to build and run (idempotent)
deps: system-deps toolchain frontend-deps wails-cli

system-deps:
	bash scripts/apt-install.sh $(APT_BUILD)

toolchain: system-deps
	bash scripts/toolchain.sh

frontend-deps: frontend/node_modules/.package-lock.json

frontend/node_modules/.package-lock.json: frontend/package-lock.json frontend/package.json
	cd frontend && npm ci --no-audit --no-fund
	touch $@

# `go install github.com/wailsapp/wails/v2/cmd/wails@v2.9.2` does not compile
# with Go >= 1.25 (its golang.org/x/tools v0.17.0 is too old), so the CLI is
# built from scripts/wails-cli, which pins the same Wails with a newer x/tools.
wails-cli:
	@if "$(WAILS)" version 2>/dev/null | grep -qx '$(WAILS_VERSION)'; then \
		echo "wails $(WAILS_VERSION): $(WAILS)"; \
	else \
		echo "building the Wails CLI $(WAILS_VERSION) into $(WAILS)"; \
		cd scripts/wails-cli && $(GO) build -o "$(WAILS)" github.com/wailsapp/wails/v2/cmd/wails; \
	fi

## build: the desktop binary build/bin/lead-navigator (frontend embedded)
build: frontend-deps wails-cli
	"$(WAILS)" build $(WAILS_BUILD_FLAGS)
	test -x $(BIN)

## run: set up, build, create sample files and start the app
run: deps build samples
	$(BIN) $(ARGS)

## samples: buyers.csv and visitors.csv in ~/LeadNavigatorSamples (kept if present)
samples: $(SAMPLES_DIR)/buyers.csv $(SAMPLES_DIR)/visitors.csv

$(SAMPLES_DIR)/%.csv:
	mkdir -p $(SAMPLES_DIR)
	$(BIN) sample --kind $* --rows $(SAMPLE_ROWS) --end $$(date -u -d yesterday +%F) --out $@

test-deps: deps
	bash scripts/apt-install.sh $(APT_TEST)

## test: vet, Go tests, browser tests and the window smoke test
test: test-deps build
	$(GO) vet ./...
	$(GO) test $(GO_TEST_FLAGS) ./...
	cd frontend && LN_BIN=$(CURDIR)/$(BIN) node --test --test-concurrency=1 tests/

## smoke: only the window smoke test (xvfb)
smoke:
	cd frontend && LN_BIN=$(CURDIR)/$(BIN) node --test tests/window.test.js

## screenshot: docs/screenshot.png for the README (sample data, Buyers dashboard)
screenshot: build
	cd frontend && LN_BIN=$(CURDIR)/$(BIN) node scripts/readme-shot.mjs

## bench: every bench/<name>/ program (e.g. make bench BENCH_ARGS="-rows 100000")
bench:
	for d in bench/*/; do $(GO) run ./$$d $(BENCH_ARGS); done

## fuzz: the ingest sniffer fuzz target
fuzz:
	$(GO) test -run '^$$' -fuzz='^$(FUZZ_TARGET)$$' -fuzztime=$(FUZZ_TIME) $(FUZZ_PKG)

clean:
	rm -rf build/bin frontend/dist/assets frontend/dist/index.html frontend/test-results

## ---- Packaging (docs/packaging.md): installers into dist/ --------------
# package        every installer this machine can build, with dist/SHA256SUMS:
#                Linux .deb (WebKitGTK 4.1 and 4.0), .tar.gz, AppDir (+ .AppImage
#                where appimagetool exists), Windows 64-bit NSIS installer
# package-check  the installed Linux packages (and the Windows installer under
#                Wine when it is in dist/) work; builds the Linux packages if missing
# package-macos  on a Mac: universal .app and .dmg (signed/notarized when the
#                credentials are in the environment)
APT_PACKAGE_LINUX := dpkg-dev desktop-file-utils xdg-utils libwebkit2gtk-4.1-dev
APT_PACKAGE_WINDOWS := gcc-mingw-w64-x86-64-posix g++-mingw-w64-x86-64-posix binutils-mingw-w64-x86-64 nsis
APT_PACKAGE_WINE := wine wine64 curl
PACKAGE_CHECK_WINE ?= 1
export PACKAGE_CHECK_WINE

.PHONY: package package-deps package-deps-linux package-check package-macos

package-deps-linux: deps
	bash scripts/apt-install.sh $(APT_PACKAGE_LINUX)

package-deps: package-deps-linux
	bash scripts/apt-install.sh $(APT_PACKAGE_WINDOWS)

package: package-deps
	rm -rf dist/.stage dist/lead-navigator_* dist/SHA256SUMS
	bash scripts/package/linux.sh
	bash scripts/package/appimage.sh
	SKIP_FRONTEND=1 bash scripts/package/windows.sh
	bash scripts/package/sums.sh

# PACKAGE_CHECK_WINE=0: Linux packages only (no Wine install, no Windows check).
package-check: package-deps-linux test-deps
	if [ "$(PACKAGE_CHECK_WINE)" = 1 ]; then bash scripts/apt-install.sh $(APT_PACKAGE_WINE) $(APT_PACKAGE_WINDOWS); fi
	bash scripts/package/check.sh

package-macos:
	bash scripts/package/macos.sh
	bash scripts/package/sums.sh
