package desktop

import (
	"os"
	"syscall"
)

// attachParentProcess is ATTACH_PARENT_PROCESS, (DWORD)-1.
const attachParentProcess = ^uintptr(0)

// AttachConsole lets the headless subcommands print in cmd.exe or
// PowerShell. The Windows binary is a GUI-subsystem program (so the
// desktop app opens no console window), and such a program starts with no
// standard output: without this, `lead-navigator --version` prints nothing.
// Output that is already redirected (to a file or a pipe) is kept as is;
// otherwise the process attaches to its parent's console, if it has one,
// and writes there.
func AttachConsole() {
	outOK, errOK := stdHandleValid(syscall.STD_OUTPUT_HANDLE), stdHandleValid(syscall.STD_ERROR_HANDLE)
	if outOK && errOK {
		return
	}
	attach := syscall.NewLazyDLL("kernel32.dll").NewProc("AttachConsole")
	if ok, _, _ := attach.Call(attachParentProcess); ok == 0 {
		return // started from Explorer: no console to write to
	}
	con, err := os.OpenFile("CONOUT$", os.O_WRONLY, 0)
	if err != nil {
		return
	}
	if !outOK {
		os.Stdout = con
	}
	if !errOK {
		os.Stderr = con
	}
}

// stdHandleValid reports whether the standard handle is open (inherited or redirected).
func stdHandleValid(which int) bool {
	h, err := syscall.GetStdHandle(which)
	if err != nil || h == 0 || h == syscall.InvalidHandle {
		return false
	}
	_, err = syscall.GetFileType(h)
	return err == nil
}
