// Package msvcrtshim lets the Windows build link with Debian's MinGW-w64
// (the cross-compiler `make package` uses on Linux). DuckDB's prebuilt
// windows-amd64 library (duckdb-go-bindings) was compiled by a newer MinGW
// against the UCRT C runtime, while Debian 12's MinGW links against
// msvcrt.dll; five UCRT symbols are then undefined. The cgo file of this
// package defines them on top of msvcrt, and only when built with
// `-tags msvcrtshim` on Windows: a UCRT toolchain (MSYS2 UCRT64, used by
// the Windows CI runner) has them already. On every other platform the
// package is empty. main imports it for its side effect.
package msvcrtshim
