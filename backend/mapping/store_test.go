package mapping

import (
	"errors"
	"path/filepath"
	"testing"

	"leadnavigator/backend/auth"
	"leadnavigator/backend/store"
	"leadnavigator/backend/workspace"
)

func newStore(t *testing.T) (*Store, *workspace.Service, int64) {
	t.Helper()
	db, err := store.Open(filepath.Join(t.TempDir(), "app.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	au, err := auth.New(db, make([]byte, 32), auth.Config{})
	if err != nil {
		t.Fatal(err)
	}
	au.UseFastHashingForTests()
	ws, err := workspace.New(db)
	if err != nil {
		t.Fatal(err)
	}
	s, err := NewStore(db)
	if err != nil {
		t.Fatal(err)
	}
	sess, err := au.Register("owner@example.com", "correct horse", "Owner")
	if err != nil {
		t.Fatal(err)
	}
	w, err := ws.Create(sess.User.ID, "W")
	if err != nil {
		t.Fatal(err)
	}
	return s, ws, w.ID
}

func TestStoreSaveGetReplace(t *testing.T) {
	s, _, ws := newStore(t)
	if _, err := s.Get(ws, "sig"); !errors.Is(err, ErrNoSaved) {
		t.Fatalf("Get before Save = %v, want ErrNoSaved", err)
	}
	must(t, s.Save(ws, "sig", KindBuyers, Mapping{Revenue: "amount", Email: ""}))
	got, err := s.Get(ws, "sig")
	must(t, err)
	if got.Kind != KindBuyers || got.Mapping[Revenue] != "amount" || len(got.Mapping) != 1 || got.UpdatedAt == "" {
		t.Errorf("Get = %+v, want buyers {revenue: amount} without the empty entry", got)
	}
	must(t, s.Save(ws, "sig", KindLeads, Mapping{Gender: "sex"}))
	got, err = s.Get(ws, "sig")
	must(t, err)
	if got.Kind != KindLeads || got.Mapping[Gender] != "sex" || len(got.Mapping) != 1 {
		t.Errorf("after replace Get = %+v", got)
	}
	if _, err := s.Get(ws+1, "sig"); !errors.Is(err, ErrNoSaved) {
		t.Errorf("another workspace sees the mapping: %v", err)
	}
	if err := s.Save(ws, "", KindLeads, Mapping{}); err == nil {
		t.Error("Save without a signature succeeded")
	}
}

func TestStoreMappingsGoWithTheirWorkspace(t *testing.T) {
	s, wsSvc, ws := newStore(t)
	must(t, s.Save(ws, "sig", KindBuyers, Mapping{Revenue: "amount"}))
	must(t, wsSvc.Delete(ws))
	if _, err := s.Get(ws, "sig"); !errors.Is(err, ErrNoSaved) {
		t.Errorf("mapping survived its workspace: %v", err)
	}
}

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}
