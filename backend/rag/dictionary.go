package rag

import (
	"leadnavigator/backend/usstates"
	"sort"
	"strings"

	"leadnavigator/backend/mapping"
)

// Match is a phrase of the question recognized as a value of a column.
type Match struct {
	Column string `json:"column"`
	Value  string `json:"value"`
	Via    string `json:"via"` // "exact", "synonym" or "vector"
}

// Dictionary holds the distinct values of a dataset's categorical columns.
type Dictionary struct {
	// Values maps column -> distinct values as stored.
	Values map[string][]string
	// Fields maps canonical field -> column (the dataset's mapping).
	Fields mapping.Mapping

	byNorm map[string][]Match // normalized value -> the columns holding it
}

// NewDictionary indexes values for exact lookup.
func NewDictionary(values map[string][]string, fields mapping.Mapping) *Dictionary {
	d := &Dictionary{Values: values, Fields: fields, byNorm: map[string][]Match{}}
	cols := make([]string, 0, len(values))
	for c := range values {
		cols = append(cols, c)
	}
	sort.Strings(cols) // deterministic order of ambiguous matches
	for _, c := range cols {
		for _, v := range values[c] {
			n := Norm(v)
			if n != "" {
				d.byNorm[n] = append(d.byNorm[n], Match{Column: c, Value: v, Via: "exact"})
			}
		}
	}
	return d
}

// Lookup returns what a phrase of the question (as written, any case)
// means as column values: an exact (case-insensitive) value first, then a
// synonym or abbreviation whose spelling exists in the mapped column.
func (d *Dictionary) Lookup(phrase string) []Match {
	n := Norm(phrase)
	if n == "" {
		return nil
	}
	if m := d.synonym(phrase, n); m != nil {
		return m
	}
	if len(n) <= 2 && strings.ToUpper(phrase) != phrase {
		return nil // "in", "or", "me": two-letter values only match when written in capitals
	}
	return d.byNorm[n]
}

func (d *Dictionary) synonym(phrase, n string) []Match {
	s, ok := synonyms[n]
	if !ok {
		code := strings.TrimSpace(phrase)
		if len(code) != 2 || strings.ToUpper(code) != code || !ambiguousCode[code] {
			return nil
		}
		name := usstates.Name(code)
		s = synonym{field: mapping.State, spelling: []string{name, code}}
	}
	col := d.Fields[s.field]
	if col == "" {
		return nil
	}
	for _, want := range s.spelling {
		for _, v := range d.Values[col] {
			if strings.EqualFold(v, want) {
				return []Match{{Column: col, Value: v, Via: "synonym"}}
			}
		}
	}
	return nil
}

// MaxPhraseWords is the longest phrase Lookup is tried on.
const MaxPhraseWords = 4
