package export

import (
	"encoding/csv"
	"errors"
	"math/big"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"
)

var header = []string{"date", "name", "amount", "ok", "at"}

func sample() [][]any {
	return [][]any{
		{time.Date(2026, 1, 5, 0, 0, 0, 0, time.UTC), "=HYPERLINK(\"http://x\")", 12.5, true, time.Date(2026, 1, 5, 13, 4, 5, 0, time.UTC)},
		{nil, "+1 555", int64(3), false, nil},
		{time.Date(2026, 2, 1, 0, 0, 0, 0, time.UTC), "-2+3", big.NewInt(7), nil, nil},
		{nil, "@SUM(A1)", float64(-4), nil, nil},
		{nil, "\tcmd", nil, nil, nil},
		{nil, "plain, \"quoted\"", 0.1, nil, nil},
	}
}

// want is the text each sample cell must become, written out by hand.
var want = [][]string{
	{"2026-01-05", "'=HYPERLINK(\"http://x\")", "12.5", "true", "2026-01-05T13:04:05"},
	{"", "'+1 555", "3", "false", ""},
	{"2026-02-01", "'-2+3", "7", "", ""},
	{"", "'@SUM(A1)", "-4", "", ""},
	{"", "'\tcmd", "", "", ""},
	{"", "plain, \"quoted\"", "0.1", "", ""},
}

func TestCSVNeutralizesFormulasAndFormatsISO(t *testing.T) {
	path := filepath.Join(t.TempDir(), "out.csv")
	if err := Write(path, header, Slice(sample())); err != nil {
		t.Fatal(err)
	}
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	got, err := csv.NewReader(f).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got[0], header) {
		t.Errorf("header = %q", got[0])
	}
	if !reflect.DeepEqual(got[1:], want) {
		t.Errorf("rows =\n%q\nwant\n%q", got[1:], want)
	}
}

func TestXLSXKeepsNumbersAndNeutralizesText(t *testing.T) {
	path := filepath.Join(t.TempDir(), "out.xlsx")
	if err := Write(path, header, Slice(sample())); err != nil {
		t.Fatal(err)
	}
	x, err := excelize.OpenFile(path)
	if err != nil {
		t.Fatal(err)
	}
	defer x.Close()
	rows, err := x.GetRows("Sheet1")
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != len(want)+1 {
		t.Fatalf("%d rows, want %d", len(rows), len(want)+1)
	}
	for i, w := range want {
		for j, cell := range w {
			got := ""
			if j < len(rows[i+1]) {
				got = rows[i+1][j]
			}
			if j == 3 && cell != "" { // booleans show as TRUE/FALSE in a sheet
				cell = strings.ToUpper(cell)
			}
			if got != cell {
				t.Errorf("row %d col %d = %q, want %q", i+1, j, got, cell)
			}
		}
	}
	// Numbers must be stored as numbers, not text, and no cell may be a formula.
	if typ, _ := x.GetCellType("Sheet1", "C2"); typ != excelize.CellTypeNumber && typ != excelize.CellTypeUnset {
		t.Errorf("C2 type = %v, want a number", typ)
	}
	for _, cell := range []string{"B2", "B3", "B4", "B5"} {
		if f, _ := x.GetCellFormula("Sheet1", cell); f != "" {
			t.Errorf("%s became formula %q", cell, f)
		}
	}
}

func TestWriteLeavesNoFileOnError(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "out.csv")
	boom := errors.New("boom")
	err := Write(path, header, func(yield func([]any) error) error {
		if err := yield([]any{"a"}); err != nil {
			return err
		}
		return boom
	})
	if !errors.Is(err, boom) {
		t.Fatalf("err = %v, want boom", err)
	}
	entries, _ := os.ReadDir(dir)
	if len(entries) != 0 {
		t.Errorf("left files behind: %v", entries)
	}
	if err := Write(filepath.Join(dir, "x.pdf"), header, Slice(nil)); err == nil {
		t.Error("a .pdf export should be refused")
	}
}

func TestSafeName(t *testing.T) {
	for in, out := range map[string]string{
		"Buyers Q1 / 2026": "Buyers_Q1___2026.xlsx",
		"../../etc/passwd": "etc_passwd.xlsx",
		"":                 "export.xlsx",
		"Café":             "Caf.xlsx",
	} {
		if got := SafeName(in, ".xlsx"); got != out {
			t.Errorf("SafeName(%q) = %q, want %q", in, got, out)
		}
	}
}

func BenchmarkXLSX100k(b *testing.B) {
	row := []any{time.Date(2026, 1, 5, 0, 0, 0, 0, time.UTC), "name", 12.5, true, "x"}
	for b.Loop() {
		err := Write(filepath.Join(b.TempDir(), "b.xlsx"), header, func(yield func([]any) error) error {
			for range 100000 {
				if err := yield(row); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			b.Fatal(err)
		}
	}
}
