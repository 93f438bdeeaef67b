package rag

import (
	"context"
	"fmt"
	"path/filepath"
	"testing"

	"leadnavigator/backend/datasets"
	"leadnavigator/backend/engine"
	"leadnavigator/backend/mapping"
)

var testValues = map[string][]string{
	"state":    {"California", "New York", "Ohio", "Oregon", "Texas", "Washington"},
	"gender":   {"Female", "Male", "Other"},
	"channel":  {"Direct", "Email", "Organic Search", "Paid Search", "Social"},
	"campaign": {"Holiday", "Spring Sale"},
}

var testFields = mapping.Mapping{mapping.State: "state", mapping.Gender: "gender", mapping.Channel: "channel", mapping.Campaign: "campaign"}

func TestSynonymsAndAbbreviationsMapToValues(t *testing.T) {
	d := NewDictionary(testValues, testFields)
	cases := []struct{ phrase, column, value string }{
		{"NY", "state", "New York"},
		{"ny", "state", "New York"},
		{"TX", "state", "Texas"},
		{"texas", "state", "Texas"},
		{"women", "gender", "Female"},
		{"ladies", "gender", "Female"},
		{"guys", "gender", "Male"},
		{"men", "gender", "Male"},
		{"paid search", "channel", "Paid Search"},
		{"PPC", "channel", "Paid Search"},
		{"email campaign", "channel", "Email"},
		{"email campaigns", "channel", "Email"},
		{"OR", "state", "Oregon"}, // a code that is an English word counts in capitals
		{"seo", "channel", "Organic Search"},
		{"spring sale", "campaign", "Spring Sale"},
	}
	for _, c := range cases {
		got := d.Lookup(c.phrase)
		if len(got) != 1 || got[0].Column != c.column || got[0].Value != c.value {
			t.Errorf("Lookup(%q) = %v, want %s = %s", c.phrase, got, c.column, c.value)
		}
	}
	for _, word := range []string{"or", "in", "oh", "revenue", "favorite"} {
		if got := d.Lookup(word); len(got) != 0 {
			t.Errorf("Lookup(%q) = %v, want nothing", word, got)
		}
	}
}

// A synonym only finds spellings the dataset has: with gender stored as
// F/M, "women" is F; without a gender column it is nothing.
func TestSynonymsFollowTheDatasetsSpelling(t *testing.T) {
	d := NewDictionary(map[string][]string{"sex": {"F", "M"}}, mapping.Mapping{mapping.Gender: "sex"})
	if got := d.Lookup("women"); len(got) != 1 || got[0].Value != "F" || got[0].Column != "sex" {
		t.Errorf("women -> %v, want sex = F", got)
	}
	if got := NewDictionary(testValues, mapping.Mapping{}).Lookup("women"); len(got) != 0 {
		t.Errorf("women without a mapped gender column -> %v", got)
	}
}

func newTestDataset(t *testing.T) (*Index, datasets.Dataset, *engine.Manager, string) {
	t.Helper()
	dir := t.TempDir()
	m := engine.NewManager(filepath.Join(dir, "ws"), engine.Options{MemoryLimit: "128MB", Threads: 1})
	t.Cleanup(func() { m.Close() })
	db, err := m.Workspace(1)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.Exec(`CREATE TABLE t AS SELECT * FROM (VALUES ('Texas','Female','Email',10.0), ('California','Male','Paid Search',20.0),
		('New York','Female','Social',5.0)) v(state, gender, channel, revenue)`); err != nil {
		t.Fatal(err)
	}
	ix, err := Open(filepath.Join(dir, "rag"))
	if err != nil {
		t.Fatal(err)
	}
	d := datasets.Dataset{ID: 3, Name: "b.csv", Kind: "buyers", Table: "t", Rows: 3,
		Columns: []datasets.Column{{Name: "state", Type: "text"}, {Name: "gender", Type: "text"}, {Name: "channel", Type: "text"}, {Name: "revenue", Type: "currency"}},
		Mapping: mapping.Mapping{mapping.State: "state", mapping.Gender: "gender", mapping.Channel: "channel", mapping.Revenue: "revenue"}}
	return ix, d, m, filepath.Join(dir, "rag")
}

func TestIndexRetrievesValuesAndPersists(t *testing.T) {
	ctx := context.Background()
	ix, d, m, dir := newTestDataset(t)
	db, _ := m.Workspace(1)
	dict, err := ix.Dictionary(ctx, db, d)
	if err != nil {
		t.Fatal(err)
	}
	if fmt.Sprint(dict.Values["state"]) != "[California New York Texas]" || dict.Values["revenue"] != nil {
		t.Fatalf("dictionary %v: want the text columns' values only", dict.Values)
	}
	if err := ix.Ensure(ctx, 1, d, dict, Local); err != nil {
		t.Fatal(err)
	}
	for word, want := range map[string]string{"Califronia": "California", "Texs": "Texas", "paid serach": "Paid Search"} {
		hits, err := ix.Search(ctx, 1, d, Local, word, "value", 1)
		if err != nil || len(hits) != 1 || hits[0].Value != want || hits[0].Similarity < 0.55 {
			t.Errorf("Search(%q) = %v, %v; want %s above 0.55", word, hits, err, want)
		}
	}
	// Reopened from disk, the collection is still there.
	ix2, err := Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	hits, err := ix2.Search(ctx, 1, d, Local, "revenue column", "column", 1)
	if err != nil || len(hits) != 1 || hits[0].Column != "revenue" {
		t.Fatalf("after reopening: %v, %v", hits, err)
	}
	// Another workspace's collection does not see this dataset.
	if hits, _ := ix2.Search(ctx, 2, d, Local, "Texas", "", 3); len(hits) != 0 {
		t.Fatalf("workspace 2 sees %v", hits)
	}
}

func TestMappingChangeReindexes(t *testing.T) {
	ctx := context.Background()
	ix, d, m, _ := newTestDataset(t)
	db, _ := m.Workspace(1)
	dict, _ := ix.Dictionary(ctx, db, d)
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	must(ix.Ensure(ctx, 1, d, dict, Local))
	before := DatasetKey(d)
	d.Mapping = mapping.Mapping{mapping.State: "state"} // the user unmapped gender and channel
	if DatasetKey(d) == before {
		t.Fatal("the dataset key did not change with the mapping")
	}
	must(ix.Ensure(ctx, 1, d, dict, Local))
	hits, err := ix.Search(ctx, 1, d, Local, "gender", "column", 1)
	must(err)
	if len(hits) != 1 || hits[0].Content != "column gender (gender), type text, values: Female, Male" {
		t.Fatalf("after re-indexing the gender profile is %v; want no mapped field", hits)
	}
	marker, err := ix.db.GetCollection(collectionName(1, Local), Local.Func).GetByID(ctx, "ds-3-marker")
	must(err)
	if marker.Metadata["key"] != DatasetKey(d) {
		t.Fatalf("marker key %s, want %s", marker.Metadata["key"], DatasetKey(d))
	}
}

func TestDemographicSynonyms(t *testing.T) {
	d := NewDictionary(map[string][]string{"homeowner": {"Own", "Rent"}, "children": {"false", "true"}},
		mapping.Mapping{mapping.Homeowner: "homeowner", mapping.Children: "children"})
	for phrase, want := range map[string]string{"homeowners": "Own", "renters": "Rent", "with kids": "true", "no children": "false"} {
		if got := d.Lookup(phrase); len(got) != 1 || got[0].Value != want {
			t.Errorf("Lookup(%q) = %v, want %s", phrase, got, want)
		}
	}
}
