package cli

import (
	"errors"
	"io"
	"io/fs"
)

// Placeholders until the sample generator and importer land.
func runSample(args []string, stdout, stderr io.Writer, assets fs.FS) error {
	return errors.New("not implemented yet")
}

func runImport(args []string, stdout, stderr io.Writer, assets fs.FS) error {
	return errors.New("not implemented yet")
}
