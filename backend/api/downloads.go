package api

import (
	"crypto/rand"
	"encoding/hex"
	"errors"

	"leadnavigator/backend/export"
	"leadnavigator/backend/store"
	"leadnavigator/backend/workspace"
)

// Exports in serve mode land in <data-dir>/exports and are downloaded from
// /exports/<name>. A name carries 64 random bits, so it cannot be guessed,
// and a download needs the session of the user who made the export, still
// a member of its workspace: the export's audit entry ("export" with the
// file name) says who and where. The server deletes exports after an hour.

// exportFileName is stem-<time>-<random><ext>, safe for any file system.
func exportFileName(stem, ext string) string {
	b := make([]byte, 8)
	rand.Read(b)
	base := export.SafeName(stem+"-"+store.Now().Format("20060102-150405"), "")
	return base + "-" + hex.EncodeToString(b) + ext
}

// ErrNoSuchExport is the one answer for an export that does not exist, is
// someone else's or belongs to a workspace the caller left.
var ErrNoSuchExport = errors.New("this export does not exist, has expired or is not yours: export again")

// AuthorizeDownload reports whether token's user may download the export
// named name. A function, not a method, so it is not bound to the UI.
func AuthorizeDownload(a *API, token, name string) error {
	id, err := a.caller(token)
	if err != nil {
		return err
	}
	userID, workspaceID, err := a.audit.ExportOf(name)
	if err != nil || userID != id.ID {
		return ErrNoSuchExport
	}
	if _, err := a.workspaces.Require(id.ID, workspaceID, workspace.View); err != nil {
		return ErrNoSuchExport
	}
	return nil
}
