package rag

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"sort"
	"strings"
	"sync"

	"github.com/philippgille/chromem-go"

	"leadnavigator/backend/datasets"
	"leadnavigator/backend/engine"
)

// MaxDictionaryValues is the most distinct values a column may have to be
// treated as categorical (and put in the value dictionary).
const MaxDictionaryValues = 300

// Embedder names an embedding function; collections are kept per embedder
// because vectors of different models cannot be compared.
type Embedder struct {
	Name string // "local" or e.g. "gemini-text-embedding-004"
	Func chromem.EmbeddingFunc
	// Batch, when set, embeds many documents in one call (remote models),
	// instead of one request per document.
	Batch func(ctx context.Context, texts []string) ([][]float32, error)
}

// Local is the offline embedder.
var Local = Embedder{Name: "local", Func: LocalEmbedding()}

// Index is the persistent vector store of all workspaces.
type Index struct {
	db *chromem.DB

	mu    sync.Mutex
	dicts map[string]*Dictionary // dataset key -> dictionary
}

// Open opens (creating) the persistent store in dir (<data-dir>/rag).
func Open(dir string) (*Index, error) {
	db, err := chromem.NewPersistentDB(dir, true)
	if err != nil {
		return nil, fmt.Errorf("open assistant index in %s: %w", dir, err)
	}
	return &Index{db: db, dicts: map[string]*Dictionary{}}, nil
}

// DatasetKey identifies a dataset's indexed state: its id and a hash of its
// mapping and columns, so a mapping change means a re-index.
func DatasetKey(d datasets.Dataset) string {
	b, _ := json.Marshal(struct {
		M any
		C []string
	}{d.Mapping, columnNames(d)})
	sum := sha256.Sum256(b)
	return fmt.Sprintf("%d-%s", d.ID, hex.EncodeToString(sum[:8]))
}

func columnNames(d datasets.Dataset) []string {
	out := make([]string, len(d.Columns))
	for i, c := range d.Columns {
		out[i] = c.Name
	}
	return out
}

func collectionName(workspaceID int64, e Embedder) string {
	return fmt.Sprintf("ws-%d-%s", workspaceID, e.Name)
}

// Dictionary returns the dataset's value dictionary, reading distinct
// values from the engine the first time a dataset (at its current
// mapping) is seen in this process.
func (ix *Index) Dictionary(ctx context.Context, db *sql.DB, d datasets.Dataset) (*Dictionary, error) {
	key := DatasetKey(d)
	ix.mu.Lock()
	dict, ok := ix.dicts[key]
	ix.mu.Unlock()
	if ok {
		return dict, nil
	}
	values, err := distinctValues(ctx, db, d)
	if err != nil {
		return nil, err
	}
	dict = NewDictionary(values, d.Mapping)
	ix.mu.Lock()
	ix.dicts[key] = dict
	ix.mu.Unlock()
	return dict, nil
}

// distinctValues reads the values of every text column with few enough
// distinct values to be a category.
func distinctValues(ctx context.Context, db *sql.DB, d datasets.Dataset) (map[string][]string, error) {
	out := map[string][]string{}
	for _, c := range d.Columns {
		if c.Type != "text" && c.Type != "boolean" {
			continue
		}
		// The import profile's estimate spares a scan of ids, emails and
		// other high-cardinality columns on files of millions of rows.
		if c.Distinct > 2*MaxDictionaryValues {
			continue
		}
		q := fmt.Sprintf(`SELECT DISTINCT CAST(%s AS VARCHAR) AS v FROM %s WHERE %s IS NOT NULL LIMIT %d`,
			engine.QuoteIdent(c.Name), engine.QuoteIdent(d.Table), engine.QuoteIdent(c.Name), MaxDictionaryValues+1)
		rows, err := db.QueryContext(ctx, q)
		if err != nil {
			return nil, fmt.Errorf("read values of column %s: %w", c.Name, err)
		}
		var vals []string
		for rows.Next() {
			var v string
			if err := rows.Scan(&v); err != nil {
				rows.Close()
				return nil, err
			}
			vals = append(vals, v)
		}
		rows.Close()
		if len(vals) > 0 && len(vals) <= MaxDictionaryValues {
			sort.Strings(vals)
			out[c.Name] = vals
		}
	}
	return out, nil
}

// Ensure indexes the dataset in the workspace's collection for embedder e
// unless it is already indexed at its current mapping.
func (ix *Index) Ensure(ctx context.Context, workspaceID int64, d datasets.Dataset, dict *Dictionary, e Embedder) error {
	col, err := ix.db.GetOrCreateCollection(collectionName(workspaceID, e), nil, e.Func)
	if err != nil {
		return err
	}
	key := DatasetKey(d)
	marker := fmt.Sprintf("ds-%d-marker", d.ID)
	if doc, err := col.GetByID(ctx, marker); err == nil && doc.Metadata["key"] == key {
		return nil
	}
	dsID := fmt.Sprint(d.ID)
	if err := col.Delete(ctx, map[string]string{"dataset": dsID}, nil); err != nil {
		return fmt.Errorf("drop stale index of dataset %d: %w", d.ID, err)
	}
	docs := datasetDocuments(d, dict)
	docs = append(docs, chromem.Document{ID: marker, Content: "dataset " + d.Name,
		Metadata: map[string]string{"dataset": dsID, "kind": "marker", "key": key}})
	if err := embedAll(ctx, e, docs); err != nil {
		return fmt.Errorf("embed dataset %s: %w", d.Name, err)
	}
	if err := col.AddDocuments(ctx, docs, 2); err != nil {
		return fmt.Errorf("index dataset %s: %w", d.Name, err)
	}
	return nil
}

// embedBatchSize is how many documents go to a remote model per request.
const embedBatchSize = 100

// embedAll fills the documents' vectors through the embedder's batch call.
func embedAll(ctx context.Context, e Embedder, docs []chromem.Document) error {
	if e.Batch == nil {
		return nil // chromem calls e.Func per document
	}
	for start := 0; start < len(docs); start += embedBatchSize {
		end := min(start+embedBatchSize, len(docs))
		texts := make([]string, 0, end-start)
		for _, d := range docs[start:end] {
			texts = append(texts, d.Content)
		}
		vecs, err := e.Batch(ctx, texts)
		if err != nil {
			return err
		}
		if len(vecs) != len(texts) {
			return fmt.Errorf("%d embeddings for %d documents", len(vecs), len(texts))
		}
		for i, v := range vecs {
			docs[start+i].Embedding = v
		}
	}
	return nil
}

// datasetDocuments describes a dataset as documents: a summary, one profile
// per column and one document per categorical value.
func datasetDocuments(d datasets.Dataset, dict *Dictionary) []chromem.Document {
	dsID := fmt.Sprint(d.ID)
	fieldOf := map[string]string{}
	for f, c := range d.Mapping {
		fieldOf[c] = f
	}
	var names []string
	docs := []chromem.Document{}
	for _, c := range d.Columns {
		names = append(names, c.Name)
		text := fmt.Sprintf("column %s (%s), type %s", c.Name, strings.ReplaceAll(c.Name, "_", " "), c.Type)
		if f := fieldOf[c.Name]; f != "" {
			text += ", means " + strings.ReplaceAll(f, "_", " ")
		}
		if vals := dict.Values[c.Name]; len(vals) > 0 {
			text += ", values: " + strings.Join(firstN(vals, 20), ", ")
		} else if c.Min != "" {
			text += fmt.Sprintf(", from %s to %s", c.Min, c.Max)
		}
		docs = append(docs, chromem.Document{ID: fmt.Sprintf("ds-%d-col-%s", d.ID, c.Name), Content: text,
			Metadata: map[string]string{"dataset": dsID, "kind": "column", "column": c.Name}})
		for i, v := range dict.Values[c.Name] {
			docs = append(docs, chromem.Document{ID: fmt.Sprintf("ds-%d-val-%s-%d", d.ID, c.Name, i), Content: v,
				Metadata: map[string]string{"dataset": dsID, "kind": "value", "column": c.Name, "value": v}})
		}
	}
	summary := fmt.Sprintf("dataset %s: %s, %d rows, columns %s", d.Name, d.Kind, d.Rows, strings.Join(names, ", "))
	docs = append(docs, chromem.Document{ID: fmt.Sprintf("ds-%d-summary", d.ID), Content: summary,
		Metadata: map[string]string{"dataset": dsID, "kind": "summary"}})
	return docs
}

func firstN(v []string, n int) []string {
	if len(v) > n {
		return v[:n]
	}
	return v
}

// Hit is a retrieved document.
type Hit struct {
	Kind       string  `json:"kind"` // column, value, summary
	Column     string  `json:"column,omitempty"`
	Value      string  `json:"value,omitempty"`
	Content    string  `json:"content"`
	Similarity float32 `json:"similarity"`
}

// Search returns the n documents of dataset d most similar to text.
// kind "" searches all kinds.
func (ix *Index) Search(ctx context.Context, workspaceID int64, d datasets.Dataset, e Embedder, text, kind string, n int) ([]Hit, error) {
	col := ix.db.GetCollection(collectionName(workspaceID, e), e.Func)
	if col == nil || col.Count() == 0 {
		return nil, nil
	}
	where := map[string]string{"dataset": fmt.Sprint(d.ID)}
	if kind != "" {
		where["kind"] = kind
	}
	if n > col.Count() {
		n = col.Count()
	}
	res, err := col.Query(ctx, text, n, where, nil)
	if err != nil {
		return nil, err
	}
	hits := make([]Hit, 0, len(res))
	for _, r := range res {
		hits = append(hits, Hit{Kind: r.Metadata["kind"], Column: r.Metadata["column"], Value: r.Metadata["value"],
			Content: r.Content, Similarity: r.Similarity})
	}
	return hits, nil
}

// DropWorkspace forgets a workspace's collections.
func (ix *Index) DropWorkspace(workspaceID int64) {
	for name := range ix.db.ListCollections() {
		if strings.HasPrefix(name, fmt.Sprintf("ws-%d-", workspaceID)) {
			ix.db.DeleteCollection(name)
		}
	}
}
