package cli

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestImportCommandPrintsOneJSONObject(t *testing.T) {
	dir := t.TempDir()
	file := filepath.Join(dir, "leads.csv")
	lines := []string{"email,gender,state", "a@example.com,F,Texas", "b@example.com,M,Ohio", "a@example.com,F,Texas"}
	if err := os.WriteFile(file, []byte(strings.Join(lines, "\n")+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	var stdout, stderr bytes.Buffer
	args := []string{"--data-dir", filepath.Join(dir, "data"), "--mock-keyring", "--workspace", "Client A", file}
	if code := Run(append([]string{"import"}, args...), &stdout, &stderr, nil); code != 0 {
		t.Fatalf("exit %d: %s", code, stderr.String())
	}
	var out importOutput
	dec := json.NewDecoder(&stdout)
	if err := dec.Decode(&out); err != nil {
		t.Fatalf("output is not JSON: %v\n%s", err, stdout.String())
	}
	if dec.More() {
		t.Errorf("more than one JSON value printed: %s", stdout.String())
	}
	distinctRows := 2 // the third data line repeats the first
	if out.Rows != int64(distinctRows) || out.DuplicatesRemoved != int64(len(lines)-1-distinctRows) {
		t.Errorf("rows %d duplicates %d, want %d and %d", out.Rows, out.DuplicatesRemoved, distinctRows, len(lines)-1-distinctRows)
	}
	if len(out.Columns) != 3 || out.Columns[0].Name != "email" || out.Columns[0].Distinct == 0 {
		t.Errorf("columns = %+v", out.Columns)
	}
	if out.DatasetID == 0 || out.Workspace != "Client A" || out.Separator != "," || out.Encoding == "" {
		t.Errorf("output = %+v", out)
	}
}

func TestImportCommandReportsBadInput(t *testing.T) {
	dir := t.TempDir()
	var stdout, stderr bytes.Buffer
	if code := Run([]string{"import", "--data-dir", dir}, &stdout, &stderr, nil); code == 0 || !strings.Contains(stderr.String(), "usage") {
		t.Errorf("missing arguments: exit %d, stderr %q", code, stderr.String())
	}
	stderr.Reset()
	missing := filepath.Join(dir, "nope.csv")
	if code := Run([]string{"import", "--data-dir", dir, "--mock-keyring", "--workspace", "W", missing}, &stdout, &stderr, nil); code == 0 ||
		!strings.Contains(stderr.String(), "nope.csv") {
		t.Errorf("missing file: exit %d, stderr %q", code, stderr.String())
	}
	if stdout.Len() != 0 {
		t.Errorf("a failed import printed %q", stdout.String())
	}
}
