package mapping

import (
	"fmt"
	"strings"
)

// Validate checks that every mapped field is a canonical field, every
// column exists in cols and has a type the field accepts. An empty column
// name means "not mapped" and is allowed. The error names the field and
// column so the user can fix that one row of the editor.
func Validate(m Mapping, cols []Column) error {
	byName := make(map[string]Column, len(cols))
	for _, c := range cols {
		byName[c.Name] = c
	}
	for _, field := range sortedFields(m) {
		column := m[field]
		info, ok := Info(field)
		if !ok {
			return fmt.Errorf("unknown field %q: use one of %s", field, strings.Join(fieldNames(), ", "))
		}
		if column == "" {
			continue
		}
		c, ok := byName[column]
		if !ok {
			return fmt.Errorf("%s is mapped to column %q, which is not in this dataset", info.Label, column)
		}
		if !info.Accepts(c.Type) {
			return fmt.Errorf("%s needs a %s column, but column %q is %s",
				info.Label, strings.Join(info.Kinds, " or "), column, describeType(c.Type))
		}
	}
	return nil
}

// Clean returns m without unmapped (empty) entries.
func Clean(m Mapping) Mapping {
	out := Mapping{}
	for f, c := range m {
		if strings.TrimSpace(c) != "" {
			out[f] = c
		}
	}
	return out
}

// Compatible lists, per canonical field, the columns whose type fits it,
// in column order (what the editor's select offers).
func Compatible(cols []Column) map[Field][]string {
	out := make(map[Field][]string, len(Fields))
	for _, fi := range Fields {
		names := []string{}
		for _, c := range cols {
			if fi.Accepts(c.Type) {
				names = append(names, c.Name)
			}
		}
		out[fi.Field] = names
	}
	return out
}

func describeType(t string) string {
	switch KindOf(t) {
	case "number":
		return "a number (" + t + ")"
	case "date":
		return "a " + t
	case "bool":
		return "a yes/no (boolean)"
	}
	return "text"
}

// sortedFields returns m's keys in editor order, unknown fields first so
// they are reported before anything else.
func sortedFields(m Mapping) []Field {
	var unknown, known []Field
	for f := range m {
		if _, ok := Info(f); !ok {
			unknown = append(unknown, f)
		}
	}
	for _, fi := range Fields {
		if _, ok := m[fi.Field]; ok {
			known = append(known, fi.Field)
		}
	}
	return append(unknown, known...)
}

func fieldNames() []string {
	out := make([]string, len(Fields))
	for i, fi := range Fields {
		out[i] = fi.Field
	}
	return out
}
