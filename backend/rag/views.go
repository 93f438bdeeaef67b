package rag

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"

	"github.com/philippgille/chromem-go"

	"leadnavigator/backend/datasets"
)

// ViewDoc is a saved view described for retrieval.
type ViewDoc struct {
	Name        string `json:"name"`
	Description string `json:"description"` // its filters in plain words
}

// EnsureViews (re)indexes the workspace's saved views that apply to
// dataset d, when they changed since the last call.
func (ix *Index) EnsureViews(ctx context.Context, workspaceID int64, d datasets.Dataset, views []ViewDoc, e Embedder) error {
	col, err := ix.db.GetOrCreateCollection(collectionName(workspaceID, e), nil, e.Func)
	if err != nil {
		return err
	}
	b, _ := json.Marshal(views)
	sum := sha256.Sum256(b)
	key := hex.EncodeToString(sum[:8])
	marker := fmt.Sprintf("ds-%d-views", d.ID)
	if doc, err := col.GetByID(ctx, marker); err == nil && doc.Metadata["key"] == key {
		return nil
	}
	dsID := fmt.Sprint(d.ID)
	if err := col.Delete(ctx, map[string]string{"dataset": dsID, "kind": "view"}, nil); err != nil {
		return err
	}
	docs := []chromem.Document{}
	for i, v := range views {
		docs = append(docs, chromem.Document{ID: fmt.Sprintf("ds-%d-view-%d", d.ID, i),
			Content:  fmt.Sprintf("saved view %s: %s", v.Name, v.Description),
			Metadata: map[string]string{"dataset": dsID, "kind": "view", "view": v.Name}})
	}
	docs = append(docs, chromem.Document{ID: marker, Content: "saved views",
		Metadata: map[string]string{"dataset": dsID, "kind": "views-marker", "key": key}})
	if err := embedAll(ctx, e, docs); err != nil {
		return err
	}
	return col.AddDocuments(ctx, docs, 2)
}
