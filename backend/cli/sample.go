package cli

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"os"
	"time"

	"leadnavigator/backend/sample"
)

// runSample: lead-navigator sample --kind buyers|visitors --rows N --out FILE [--seed S]
func runSample(args []string, stdout, stderr io.Writer, _ fs.FS) error {
	fl := flag.NewFlagSet("sample", flag.ContinueOnError)
	fl.SetOutput(stderr)
	kind := fl.String("kind", sample.Buyers, "what to generate: buyers or visitors")
	rows := fl.Int("rows", 100_000, "number of data rows")
	out := fl.String("out", "", "output file: .csv, .tsv, .csv.gz, .tsv.gz or .xlsx")
	seed := fl.Int64("seed", 1, "random seed; the same seed gives the same file")
	if err := fl.Parse(args); err != nil {
		return err
	}
	if *out == "" {
		return errors.New("--out FILE is required")
	}
	start := time.Now()
	if err := sample.Write(*out, sample.Options{Kind: *kind, Rows: *rows, Seed: *seed}); err != nil {
		return err
	}
	info, err := os.Stat(*out)
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "wrote %d %s rows to %s: %d bytes in %.2f s\n",
		*rows, *kind, *out, info.Size(), time.Since(start).Seconds())
	return nil
}
