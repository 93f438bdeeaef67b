package api

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"leadnavigator/backend/audit"
)

type auditRow struct {
	userID, workspaceID int64
	action, ts          string
	details             map[string]any
}

// newAuditRows returns the rows written after id `after`.
func (f *fixture) newAuditRows(after int64) []auditRow {
	f.t.Helper()
	rows, err := f.api.db.Query(`SELECT COALESCE(user_id,0), COALESCE(workspace_id,0), action, ts, details FROM audit_log WHERE id > ? ORDER BY id`, after)
	must(f.t, err)
	defer rows.Close()
	var out []auditRow
	for rows.Next() {
		var r auditRow
		var d string
		must(f.t, rows.Scan(&r.userID, &r.workspaceID, &r.action, &r.ts, &d))
		must(f.t, json.Unmarshal([]byte(d), &r.details))
		out = append(out, r)
	}
	return out
}

func (f *fixture) lastAuditID() int64 {
	var id int64
	f.api.db.QueryRow(`SELECT COALESCE(MAX(id),0) FROM audit_log`).Scan(&id)
	return id
}

// TestEveryActionIsAuditedOnce performs each audited action and checks it
// wrote exactly the expected entries, with user, workspace, a UTC
// timestamp, the expected details and no secret anywhere.
func TestEveryActionIsAuditedOnce(t *testing.T) {
	f := newFixture(t)
	srv := f.withSMTP()
	owner, outsider := f.tokens[asOwner], f.tokens[asOutsider]
	uid := f.userIDs
	var inviteCode, magic string
	var invID, tempWS int64
	var newcomer int64
	secrets := []string{"correct horse", "long enough pw"}

	steps := []struct {
		name    string
		do      func()
		actions []string
		user    func() int64
		ws      func() int64
		details map[string]any
	}{
		{"register", func() {
			// With email set up, the account is made when the mailed code comes back.
			_, err := f.api.Register("fresh@example.com", "long enough pw", "Fresh")
			must(t, err)
			code := tokenFrom(t, srv.Next(t, 5*time.Second))
			secrets = append(secrets, code)
			s, err := f.api.LoginWithMagicLink(code)
			must(t, err)
			newcomer = s.User.ID
		}, []string{"register.requested", "register", "magic_link.used", "login"}, func() int64 { return newcomer }, nil, map[string]any{"method": "magic_link"}},
		{"login", func() { _, err := f.api.Login("viewer@example.com", "correct horse"); must(t, err) },
			[]string{"login"}, func() int64 { return uid[asViewer] }, nil, map[string]any{"method": "password"}},
		{"failed login", func() { f.api.Login("viewer@example.com", "wrong horse!") },
			[]string{"login.failed"}, func() int64 { return uid[asViewer] }, nil, map[string]any{"email": "viewer@example.com"}},
		{"magic link requested", func() {
			must(t, f.api.RequestMagicLink("viewer@example.com"))
			magic = tokenFrom(t, srv.Next(t, 5*time.Second))
			secrets = append(secrets, magic)
		}, []string{"magic_link.requested"}, func() int64 { return uid[asViewer] }, nil, map[string]any{"email": "viewer@example.com"}},
		{"magic link used", func() { _, err := f.api.LoginWithMagicLink(magic); must(t, err) },
			[]string{"magic_link.used", "login"}, func() int64 { return uid[asViewer] }, nil, nil},
		{"workspace create", func() {
			w, err := f.api.CreateWorkspace(owner, "Temp")
			must(t, err)
			tempWS = w.ID
		}, []string{"workspace.create"}, func() int64 { return uid[asOwner] }, func() int64 { return tempWS }, map[string]any{"name": "Temp"}},
		{"workspace rename", func() { must(t, f.api.RenameWorkspace(owner, tempWS, "Temp 2")) },
			[]string{"workspace.rename"}, func() int64 { return uid[asOwner] }, func() int64 { return tempWS }, map[string]any{"from": "Temp", "to": "Temp 2"}},
		{"workspace delete", func() { must(t, f.api.DeleteWorkspace(owner, tempWS)) },
			[]string{"workspace.delete"}, func() int64 { return uid[asOwner] }, func() int64 { return tempWS }, map[string]any{"name": "Temp 2"}},
		{"invitation sent", func() {
			inv, err := f.api.InviteMember(owner, f.ws, "non-member@example.com", "viewer")
			must(t, err)
			invID = inv.ID
			inviteCode = tokenFrom(t, srv.Next(t, 5*time.Second))
			secrets = append(secrets, inviteCode)
		}, []string{"invitation.sent"}, func() int64 { return uid[asOwner] }, func() int64 { return f.ws }, map[string]any{"email": "non-member@example.com", "role": "viewer"}},
		{"invitation revoked", func() { must(t, f.api.RevokeInvitation(owner, f.ws, invID)) },
			[]string{"invitation.revoked"}, func() int64 { return uid[asOwner] }, func() int64 { return f.ws }, nil},
		{"invitation rejected", func() {
			inv, err := f.api.InviteMember(owner, f.ws, "non-member@example.com", "viewer")
			must(t, err)
			srv.Next(t, 5*time.Second)
			invID = inv.ID
			must(t, f.api.RejectInvitation(outsider, invID))
		}, []string{"invitation.sent", "invitation.rejected"}, nil, func() int64 { return f.ws }, nil},
		{"invitation accepted", func() {
			_, err := f.api.InviteMember(owner, f.ws, "non-member@example.com", "viewer")
			must(t, err)
			_, err = f.api.AcceptInvitationToken(outsider, tokenFrom(t, srv.Next(t, 5*time.Second)))
			must(t, err)
		}, []string{"invitation.sent", "invitation.accepted"}, nil, func() int64 { return f.ws }, nil},
		{"role change", func() { must(t, f.api.SetMemberRole(owner, f.ws, uid[asOutsider], "analyst")) },
			[]string{"member.role_changed"}, func() int64 { return uid[asOwner] }, func() int64 { return f.ws }, map[string]any{"from": "viewer", "to": "analyst"}},
		{"member removed", func() { must(t, f.api.RemoveMember(owner, f.ws, uid[asOutsider])) },
			[]string{"member.removed"}, func() int64 { return uid[asOwner] }, func() int64 { return f.ws }, nil},
		{"audit export", func() { _, err := f.api.ExportAudit(owner, f.ws, audit.Filter{}, "xlsx", ""); must(t, err) },
			[]string{"export"}, func() int64 { return uid[asOwner] }, func() int64 { return f.ws }, map[string]any{"what": "audit", "format": "xlsx"}},
		{"logout", func() { must(t, f.api.Logout(f.tokens[asAnalyst])) },
			[]string{"logout"}, func() int64 { return uid[asAnalyst] }, nil, nil},
	}
	for _, st := range steps {
		before := f.lastAuditID()
		st.do()
		rows := f.newAuditRows(before)
		if len(rows) != len(st.actions) {
			t.Fatalf("%s: %d audit entries %+v, want %v", st.name, len(rows), rows, st.actions)
		}
		for i, r := range rows {
			if r.action != st.actions[i] {
				t.Errorf("%s: entry %d is %q, want %q", st.name, i, r.action, st.actions[i])
			}
			if _, err := time.Parse("2006-01-02T15:04:05.000Z", r.ts); err != nil {
				t.Errorf("%s: timestamp %q is not UTC: %v", st.name, r.ts, err)
			}
		}
		last := rows[len(rows)-1]
		if st.user != nil && last.userID != st.user() {
			t.Errorf("%s: user %d, want %d", st.name, last.userID, st.user())
		}
		wantWS := int64(0)
		if st.ws != nil {
			wantWS = st.ws()
		}
		if last.workspaceID != wantWS {
			t.Errorf("%s: workspace %d, want %d", st.name, last.workspaceID, wantWS)
		}
		for k, v := range st.details {
			if last.details[k] != v {
				t.Errorf("%s: details[%s] = %v, want %v", st.name, k, last.details[k], v)
			}
		}
	}
	var all string
	f.api.db.QueryRow(`SELECT group_concat(details, ' ') FROM audit_log`).Scan(&all)
	for _, s := range secrets {
		if strings.Contains(all, s) {
			t.Errorf("a secret (%.6s…) is in the audit trail", s)
		}
	}
	if v, err := f.api.VerifyAudit(owner, f.ws); err != nil || !v.OK {
		t.Fatalf("chain after a deleted workspace: %+v %v", v, err)
	}
}

func TestVerifyAuditDetectsATamperedRow(t *testing.T) {
	f := newFixture(t)
	owner := f.tokens[asOwner]
	must(t, f.api.RenameWorkspace(owner, f.ws, "Renamed"))
	must(t, f.api.RenameWorkspace(owner, f.ws, "Renamed again"))
	v, err := f.api.VerifyAudit(owner, f.ws)
	if err != nil || !v.OK || v.Checked < 2 {
		t.Fatalf("intact: %+v %v", v, err)
	}
	var id int64
	f.api.db.QueryRow(`SELECT id FROM audit_log WHERE action = 'workspace.rename' ORDER BY id LIMIT 1`).Scan(&id)
	if _, err := f.api.db.Exec(`UPDATE audit_log SET details = '{}' WHERE id = ?`, id); err == nil {
		t.Fatal("the trigger allowed an UPDATE")
	}
	_, err = f.api.db.Exec(`DROP TRIGGER audit_log_no_update`)
	must(t, err)
	_, err = f.api.db.Exec(`UPDATE audit_log SET details = '{"from":"Own","to":"Innocent"}' WHERE id = ?`, id)
	must(t, err)
	v, err = f.api.VerifyAudit(owner, f.ws)
	if err != nil || v.OK || v.FirstBadID != id {
		t.Fatalf("tampered row %d: got %+v %v", id, v, err)
	}
}

func TestAuditListAndExportInServeMode(t *testing.T) {
	f := newFixture(t)
	owner := f.tokens[asOwner]
	must(t, f.api.RenameWorkspace(owner, f.ws, "=HYPERLINK(\"http://evil\")"))
	rows, err := f.api.ListAudit(owner, f.ws, audit.Filter{Action: "workspace.rename"})
	if err != nil || len(rows) != 1 || rows[0].UserEmail != "owner@example.com" {
		t.Fatalf("%+v %v", rows, err)
	}
	if rows, _ := f.api.ListAudit(owner, f.foreignWS+0, audit.Filter{}); rows != nil {
		t.Fatalf("foreign workspace audit readable: %+v", rows)
	}
	name, err := f.api.ExportAudit(owner, f.ws, audit.Filter{}, "csv", "")
	if err != nil || strings.ContainsAny(name, "/\\") {
		t.Fatalf("export name %q %v", name, err)
	}
	data, err := os.ReadFile(filepath.Join(f.dir, "exports", name))
	must(t, err)
	if !strings.Contains(string(data), "workspace.rename") {
		t.Fatalf("export: %s", data)
	}
	if _, err := f.api.ExportAudit(owner, f.ws, audit.Filter{}, "pdf", ""); err == nil {
		t.Fatal("unknown format accepted")
	}
	if _, err := f.api.ExportAudit(owner, f.ws, audit.Filter{}, "csv", filepath.Join("sub", "relative.csv")); err == nil {
		t.Fatal("relative path with a folder accepted")
	}
}
