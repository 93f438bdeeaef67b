package assistant

import (
	"database/sql"
	"encoding/json"
	"fmt"

	"leadnavigator/backend/store"
)

// Message is one chat message: the user's question or the assistant's answer.
type Message struct {
	ID        int64   `json:"id"`
	Role      string  `json:"role"` // user or assistant
	Text      string  `json:"text"`
	DatasetID int64   `json:"datasetId"`
	Answer    *Answer `json:"answer,omitempty"`
	CreatedAt string  `json:"createdAt"`
}

// History keeps each user's chat per workspace in SQLite.
type History struct{ db *sql.DB }

var migrations = []string{
	`CREATE TABLE chat_messages (
		id INTEGER PRIMARY KEY,
		workspace_id INTEGER NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
		user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
		dataset_id INTEGER NOT NULL DEFAULT 0,
		role TEXT NOT NULL CHECK (role IN ('user', 'assistant')),
		text TEXT NOT NULL,
		answer_json TEXT,
		created_at TEXT NOT NULL
	);
	CREATE INDEX chat_messages_ws_user ON chat_messages(workspace_id, user_id, id);`,
}

// NewHistory migrates the chat table (users and workspaces must exist first).
func NewHistory(db *sql.DB) (*History, error) {
	if err := store.Migrate(db, "assistant", migrations); err != nil {
		return nil, err
	}
	return &History{db: db}, nil
}

// Append stores a message.
func (h *History) Append(workspaceID, userID int64, m Message) (Message, error) {
	var answer any
	if m.Answer != nil {
		b, err := json.Marshal(m.Answer)
		if err != nil {
			return m, err
		}
		answer = string(b)
	}
	m.CreatedAt = store.Now().Format(store.TimeFormat)
	res, err := h.db.Exec(`INSERT INTO chat_messages(workspace_id, user_id, dataset_id, role, text, answer_json, created_at)
		VALUES(?,?,?,?,?,?,?)`, workspaceID, userID, m.DatasetID, m.Role, m.Text, answer, m.CreatedAt)
	if err != nil {
		return m, fmt.Errorf("save chat message: %w", err)
	}
	m.ID, err = res.LastInsertId()
	return m, err
}

// MaxHistory is how many recent messages a chat shows.
const MaxHistory = 200

// List returns the user's most recent messages in a workspace, oldest first.
func (h *History) List(workspaceID, userID int64) ([]Message, error) {
	return store.Collect(h.db, func(row store.Scanner) (Message, error) {
		var m Message
		var answer sql.NullString
		if err := row.Scan(&m.ID, &m.Role, &m.Text, &m.DatasetID, &answer, &m.CreatedAt); err != nil {
			return m, err
		}
		if answer.Valid {
			m.Answer = &Answer{}
			if err := json.Unmarshal([]byte(answer.String), m.Answer); err != nil {
				return m, fmt.Errorf("chat message %d: %w", m.ID, err)
			}
		}
		return m, nil
	}, `SELECT id, role, text, dataset_id, answer_json, created_at FROM (
		SELECT * FROM chat_messages WHERE workspace_id = ? AND user_id = ? ORDER BY id DESC LIMIT ?) ORDER BY id`,
		workspaceID, userID, MaxHistory)
}

// Clear deletes the user's messages in a workspace and says how many.
func (h *History) Clear(workspaceID, userID int64) (int64, error) {
	res, err := h.db.Exec(`DELETE FROM chat_messages WHERE workspace_id = ? AND user_id = ?`, workspaceID, userID)
	if err != nil {
		return 0, err
	}
	return res.RowsAffected()
}
