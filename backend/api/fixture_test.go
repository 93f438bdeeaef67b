package api

import (
	"testing"

	"leadnavigator/backend/engine"
	"leadnavigator/backend/keychain"
	"leadnavigator/backend/workspace"
)

// fixture is a fresh app with four users: the owner, an analyst and a
// viewer of workspace ws, an outsider who belongs to neither workspace, and
// a stranger who owns foreignWS (and is never a caller).
type fixture struct {
	t         *testing.T
	api       *API
	dir       string
	ws        int64
	foreignWS int64
	tokens    map[callerKind]string
	userIDs   map[callerKind]int64

	datasetIDs map[int64]int64 // see dataset()
}

func newFixture(t *testing.T) *fixture {
	t.Helper()
	dir := t.TempDir()
	a, err := New(Config{DataDir: dir, Keyring: keychain.Mock(), Engine: engine.Options{MemoryLimit: "256MB", Threads: 1}})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { Close(a) })
	a.auth.UseFastHashingForTests()
	f := &fixture{t: t, api: a, dir: dir, tokens: map[callerKind]string{asNobody: ""}, userIDs: map[callerKind]int64{}}
	for _, k := range []callerKind{asOwner, asAnalyst, asViewer, asOutsider} {
		s, err := a.Register(string(k)+"@example.com", "correct horse", string(k))
		if err != nil {
			t.Fatal(err)
		}
		f.tokens[k], f.userIDs[k] = s.Token, s.User.ID
	}
	w, err := a.CreateWorkspace(f.tokens[asOwner], "Own")
	if err != nil {
		t.Fatal(err)
	}
	f.ws = w.ID
	must(t, a.workspaces.AddMember(f.ws, f.userIDs[asAnalyst], workspace.Analyst))
	must(t, a.workspaces.AddMember(f.ws, f.userIDs[asViewer], workspace.Viewer))
	stranger, err := a.Register("stranger@example.com", "correct horse", "Stranger")
	if err != nil {
		t.Fatal(err)
	}
	fw, err := a.CreateWorkspace(stranger.Token, "Foreign")
	if err != nil {
		t.Fatal(err)
	}
	f.foreignWS = fw.ID
	return f
}

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}
