package cli

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

func TestSampleCommandWritesFileAndSummary(t *testing.T) {
	out := filepath.Join(t.TempDir(), "visitors.tsv")
	var stdout, stderr bytes.Buffer
	args := []string{"sample", "--kind", "visitors", "--rows", "250", "--out", out, "--seed", "9"}
	if code := Run(args, &stdout, &stderr, nil); code != 0 {
		t.Fatalf("exit %d: %s", code, stderr.String())
	}
	data, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSuffix(string(data), "\n"), "\n")
	if len(lines) != 251 || !strings.HasPrefix(lines[0], "visitor_id\tvisit_date\t") {
		t.Fatalf("want a header and 250 tab-separated rows, got %d lines starting %q", len(lines), lines[0])
	}
	summary := regexp.MustCompile(`^wrote 250 visitors rows to .*visitors\.tsv: (\d+) bytes in \d+\.\d\d s\n$`)
	m := summary.FindStringSubmatch(stdout.String())
	if m == nil || m[1] != fmt.Sprint(len(data)) {
		t.Errorf("summary %q does not match %s with %d bytes", stdout.String(), summary, len(data))
	}
}

func TestSampleCommandRejectsBadArguments(t *testing.T) {
	dir := t.TempDir()
	cases := map[string][]string{
		"--out FILE is required":  {"sample", "--rows", "10"},
		`unknown sample kind "x"`: {"sample", "--kind", "x", "--out", filepath.Join(dir, "a.csv")},
		"do not fit in an .xlsx":  {"sample", "--rows", "2000000", "--out", filepath.Join(dir, "a.xlsx")},
	}
	for want, args := range cases {
		var stdout, stderr bytes.Buffer
		if code := Run(args, &stdout, &stderr, nil); code != 1 || !strings.Contains(stderr.String(), want) {
			t.Errorf("%v: exit %d, stderr %q; want 1 and %q", args, code, stderr.String(), want)
		}
	}
}
