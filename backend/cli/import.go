package cli

import (
	"encoding/json"
	"errors"
	"flag"
	"io"
	"io/fs"

	"leadnavigator/backend/api"
	"leadnavigator/backend/keychain"
)

// importedColumn is one column in the import command's output.
type importedColumn struct {
	Name     string `json:"name"`
	Type     string `json:"type"`
	Nulls    int64  `json:"nulls"`
	Distinct int64  `json:"distinct"`
}

// importOutput is the one JSON object `lead-navigator import` prints.
type importOutput struct {
	Rows              int64            `json:"rows"`
	Columns           []importedColumn `json:"columns"`
	DuplicatesRemoved int64            `json:"duplicates_removed"`
	Encoding          string           `json:"encoding"`
	Separator         string           `json:"separator"`
	Seconds           float64          `json:"seconds"`
	DatasetID         int64            `json:"dataset_id"`
	Workspace         string           `json:"workspace"`
}

// runImport: lead-navigator import [--data-dir DIR] [--mock-keyring] --workspace NAME FILE
// imports FILE without the UI as the local account and prints one JSON object.
func runImport(args []string, stdout, stderr io.Writer, _ fs.FS) error {
	fl := flag.NewFlagSet("import", flag.ContinueOnError)
	fl.SetOutput(stderr)
	dataDir := fl.String("data-dir", DefaultDataDir(), "directory for the app database and workspace files")
	wsName := fl.String("workspace", "", "workspace to import into (created if no workspace has this name)")
	mockKeyring := fl.Bool("mock-keyring", false, "keep secrets in memory instead of the OS keychain (tests)")
	if err := fl.Parse(args); err != nil {
		return err
	}
	if *wsName == "" || fl.NArg() != 1 {
		return errors.New("usage: lead-navigator import [--data-dir DIR] --workspace NAME FILE")
	}
	cfg := api.Config{DataDir: *dataDir}
	if *mockKeyring {
		cfg.Keyring = keychain.Mock()
	}
	a, err := api.New(cfg)
	if err != nil {
		return err
	}
	defer api.Close(a)
	sum, err := api.ImportAsLocalUser(a, *wsName, fl.Arg(0))
	if err != nil {
		return err
	}
	return json.NewEncoder(stdout).Encode(summaryOutput(sum, *wsName))
}

func summaryOutput(sum api.ImportSummary, workspaceName string) importOutput {
	d := sum.Dataset
	out := importOutput{Rows: d.Rows, Columns: []importedColumn{}, DuplicatesRemoved: d.DuplicatesRemoved,
		Encoding: d.Encoding, Separator: d.Separator, Seconds: d.Seconds, DatasetID: d.ID, Workspace: workspaceName}
	for _, c := range d.Columns {
		out.Columns = append(out.Columns, importedColumn{Name: c.Name, Type: c.Type, Nulls: c.Nulls, Distinct: c.Distinct})
	}
	return out
}
