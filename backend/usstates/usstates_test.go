package usstates

import "testing"

func TestCodeAndName(t *testing.T) {
	if len(All) != 52 {
		t.Fatalf("%d entries, want 50 states + DC + PR", len(All))
	}
	for _, s := range All {
		if Code(s.Name) != s.Code || Code(s.Code) != s.Code || Name(s.Code) != s.Name {
			t.Errorf("%v does not round-trip", s)
		}
	}
	for in, want := range map[string]string{" new york ": "NY", "tx": "TX", "Washington DC": "DC", "Atlantis": "", "": ""} {
		if got := Code(in); got != want {
			t.Errorf("Code(%q) = %q, want %q", in, got, want)
		}
	}
}
