//go:build !windows

package desktop

// AttachConsole does nothing outside Windows: programs there always have
// the standard output of the terminal that started them.
func AttachConsole() {}
