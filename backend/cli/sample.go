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

// runSample: lead-navigator sample --kind buyers|visitors --rows N --out FILE [--seed S] [--end YYYY-MM-DD]
func runSample(args []string, stdout, stderr io.Writer, _ fs.FS) error {
	fl := flag.NewFlagSet("sample", flag.ContinueOnError)
	fl.SetOutput(stderr)
	kind := fl.String("kind", sample.Buyers, "what to generate: buyers or visitors")
	rows := fl.Int("rows", 100_000, "number of data rows")
	out := fl.String("out", "", "output file: .csv, .tsv, .csv.gz, .tsv.gz or .xlsx")
	seed := fl.Int64("seed", 1, "random seed; the same seed gives the same file")
	endDay := fl.String("end", "", "last day of the data, YYYY-MM-DD (default: a fixed day derived from the seed)")
	if err := fl.Parse(args); err != nil {
		return err
	}
	var end time.Time
	if *endDay != "" {
		var err error
		if end, err = time.Parse(time.DateOnly, *endDay); err != nil {
			return fmt.Errorf("--end %q: use YYYY-MM-DD", *endDay)
		}
	}
	if *out == "" {
		return errors.New("--out FILE is required")
	}
	start := time.Now()
	if err := sample.Write(*out, sample.Options{Kind: *kind, Rows: *rows, Seed: *seed, End: end}); err != nil {
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
