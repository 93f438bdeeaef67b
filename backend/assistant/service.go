package assistant

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"errors"
	"fmt"
	"sort"
	"strings"
	"sync"
	"time"

	"leadnavigator/backend/datasets"
	"leadnavigator/backend/mapping"
	"leadnavigator/backend/rag"
)

// Modes of answering.
const (
	ModeGemini  = "gemini"
	ModeOffline = "offline"
)

// Service answers questions: retrieval, planning (Gemini or offline),
// validation, execution and the chat history.
type Service struct {
	History *History
	Index   *rag.Index
	Exec    Executor
	Clock   Clock
	Gemini  GeminiConfig
	// Key returns the Gemini API key, "" when none is set.
	Key func() (string, error)

	mu     sync.Mutex
	client *Gemini
	keyID  [32]byte // hash of the key the client was made with

	remoteMu sync.Mutex
	remote   map[string]string // workspace/dataset key/embedder -> "pending", "ready" or "failed"
	indexing sync.WaitGroup
	// background is the context of background indexing; Stop cancels it.
	background       context.Context
	cancelBackground context.CancelFunc
	stopped          bool
}

// Wait blocks until background indexing has finished (tests).
func (s *Service) Wait() { s.indexing.Wait() }

// Stop cancels background indexing, closes the Gemini client and waits for
// the background work to end, so the app can close its files (shutdown).
func (s *Service) Stop() {
	s.remoteMu.Lock()
	s.stopped = true
	if s.cancelBackground != nil {
		s.cancelBackground()
	}
	s.remoteMu.Unlock()
	s.Forget()
	s.indexing.Wait()
}

// remoteIndexTimeout bounds indexing a dataset with a remote embedding model.
const remoteIndexTimeout = 2 * time.Minute

// retriever picks the embedder for retrieval: Gemini's once the dataset is
// indexed with it, the local one until then (and offline). Indexing with
// Gemini runs in the background so a slow or absent network never delays
// an answer.
func (s *Service) retriever(r Request, dict *rag.Dictionary, gem *Gemini) rag.Embedder {
	if gem == nil {
		return rag.Local
	}
	e := gem.Embedder()
	key := fmt.Sprintf("%d/%s/%s", r.WorkspaceID, rag.DatasetKey(r.Dataset), e.Name)
	s.remoteMu.Lock()
	defer s.remoteMu.Unlock()
	if s.remote == nil {
		s.remote = map[string]string{}
	}
	switch s.remote[key] {
	case "ready":
		return e
	case "":
		if s.stopped {
			break
		}
		if s.background == nil {
			s.background, s.cancelBackground = context.WithCancel(context.Background())
		}
		s.remote[key] = "pending"
		s.indexing.Add(1)
		go s.indexRemote(s.background, key, r, dict, e)
	}
	return rag.Local
}

func (s *Service) indexRemote(background context.Context, key string, r Request, dict *rag.Dictionary, e rag.Embedder) {
	defer s.indexing.Done()
	ctx, cancel := context.WithTimeout(background, remoteIndexTimeout)
	defer cancel()
	state := "ready"
	if err := s.Index.Ensure(ctx, r.WorkspaceID, r.Dataset, dict, e); err != nil {
		state = "failed" // retrieval stays local; the next key change retries
	}
	s.remoteMu.Lock()
	s.remote[key] = state
	s.remoteMu.Unlock()
}

// Request is one question.
type Request struct {
	WorkspaceID int64
	UserID      int64
	Dataset     datasets.Dataset
	DB          *sql.DB // the workspace's engine, for the value dictionary
	Question    string
	// Active compiles the dashboard filters in effect, leaving out the date
	// range and the columns the plan sets itself (the question overrides them).
	Active func(skipDates bool, skipColumns []string) (Where, error)
	// Views are the workspace's saved views that fit the dataset; a
	// question can name one ("revenue by channel in the Texas women view").
	Views []SavedView
}

// SavedView is a saved view's filters as plan filters.
type SavedView struct {
	Name             string
	Filters          []Filter
	DateFrom, DateTo string
}

// Describe says what a view filters, for retrieval and prompts.
func (v SavedView) Describe() string {
	p := Plan{Filters: v.Filters, DateFrom: v.DateFrom, DateTo: v.DateTo}
	var parts []string
	for _, f := range p.Filters {
		parts = append(parts, describeFilter(f))
	}
	if v.DateFrom != "" || v.DateTo != "" {
		parts = append(parts, fmt.Sprintf("date %s..%s", v.DateFrom, v.DateTo))
	}
	if len(parts) == 0 {
		return "no filters"
	}
	return strings.Join(parts, ", ")
}

// Ask answers a question and stores both in the user's chat history.
func (s *Service) Ask(ctx context.Context, r Request) (Answer, error) {
	q := strings.TrimSpace(r.Question)
	if q == "" {
		return Answer{}, errors.New("ask a question first")
	}
	if len(q) > 2000 {
		return Answer{}, errors.New("the question is too long (2000 characters at most)")
	}
	ans, err := s.answer(ctx, r, q)
	if err != nil {
		return Answer{}, err
	}
	if _, err := s.History.Append(r.WorkspaceID, r.UserID, Message{Role: "user", Text: q, DatasetID: r.Dataset.ID}); err != nil {
		return Answer{}, err
	}
	if _, err := s.History.Append(r.WorkspaceID, r.UserID, Message{Role: "assistant", Text: ans.Text, DatasetID: r.Dataset.ID, Answer: &ans}); err != nil {
		return Answer{}, err
	}
	return ans, nil
}

func (s *Service) answer(ctx context.Context, r Request, q string) (Answer, error) {
	dict, err := s.Index.Dictionary(ctx, r.DB, r.Dataset)
	if err != nil {
		return Answer{}, err
	}
	if err := s.Index.Ensure(ctx, r.WorkspaceID, r.Dataset, dict, rag.Local); err != nil {
		return Answer{}, err
	}
	if err := s.Index.EnsureViews(ctx, r.WorkspaceID, r.Dataset, viewDocs(r.Views), rag.Local); err != nil {
		return Answer{}, err
	}
	pc := PlanContext{Dataset: r.Dataset, Dict: dict, Clock: s.Clock, Fuzzy: s.fuzzy(ctx, r), Views: r.Views}
	plan, mode, notice, gem, err := s.plan(ctx, r, q, pc)
	if err != nil {
		if ref, ok := asRefusal(err); ok {
			return refusalAnswer(ref, mode, notice), nil
		}
		return Answer{}, err
	}
	ans, err := s.execute(ctx, r, plan)
	if err != nil {
		return Answer{}, err
	}
	ans.Mode, ans.Notice = mode, notice
	if gem != nil {
		if text, err := gem.Phrase(ctx, q, ans.PlanText, *ans.Table); err == nil {
			ans.Text = text
		}
	}
	return ans, nil
}

func refusalAnswer(r *Refusal, mode, notice string) Answer {
	text := r.Reason
	if len(r.Suggestions) > 0 {
		text += "\nQuestions I can answer: " + strings.Join(r.Suggestions, " · ")
	}
	return Answer{Text: text, Mode: mode, Notice: notice, Refused: true}
}

// plan asks Gemini when a key is set and falls back to the offline planner
// on any failure (network, quota, timeout, malformed or invalid plan).
func (s *Service) plan(ctx context.Context, r Request, q string, pc PlanContext) (Plan, string, string, *Gemini, error) {
	gem, notice := s.gemini(ctx)
	if gem != nil {
		p, cannot, err := gem.Plan(ctx, q, s.promptContext(ctx, r, q, pc, s.retriever(r, pc.Dict, gem)))
		if err == nil && cannot == "" {
			if err = Validate(p, r.Dataset); err == nil {
				if p, err = spellValues(p, pc.Dict); err == nil {
					return p, ModeGemini, "", gem, nil
				}
			}
		}
		if err == nil {
			off, oerr := PlanOffline(q, pc)
			if oerr != nil {
				return Plan{}, ModeGemini, "", nil, &Refusal{Reason: cannot, Suggestions: Suggestions}
			}
			return off, ModeOffline, "Gemini could not answer this; answered offline.", nil, nil
		}
		notice = FailureNotice(err)
	}
	p, err := PlanOffline(q, pc)
	return p, ModeOffline, notice, nil, err
}

// spellValues checks the values of Gemini's filters against the value
// dictionary: "TX" becomes the stored "Texas"; a value the column does not
// have ("Narnia") makes the plan invalid instead of silently empty.
func spellValues(p Plan, dict *rag.Dictionary) (Plan, error) {
	out := p
	out.Filters = make([]Filter, len(p.Filters))
	for i, f := range p.Filters {
		out.Filters[i] = f
		known := dict.Values[f.Column]
		if (f.Op != "in" && f.Op != "not_in") || len(known) == 0 {
			continue
		}
		vals := make([]string, len(f.Values))
		for j, v := range f.Values {
			spelled, ok := spell(v, f.Column, known, dict)
			if !ok {
				return p, invalid("%q is not a value of column %s", v, f.Column)
			}
			vals[j] = spelled
		}
		out.Filters[i].Values = vals
	}
	return out, nil
}

func spell(v, column string, known []string, dict *rag.Dictionary) (string, bool) {
	for _, k := range known {
		if k == v {
			return k, true
		}
	}
	for _, k := range known {
		if strings.EqualFold(k, v) {
			return k, true
		}
	}
	for _, m := range dict.Lookup(v) {
		if m.Column == column {
			return m.Value, true
		}
	}
	return "", false
}

// gemini returns a client for the current key, or nil (and why) offline.
func (s *Service) gemini(ctx context.Context) (*Gemini, string) {
	if s.Key == nil {
		return nil, ""
	}
	key, err := s.Key()
	if err != nil {
		return nil, "The Gemini key could not be read from the keychain; answered offline."
	}
	if key == "" {
		return nil, ""
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	id := sha256.Sum256([]byte(key))
	if s.client != nil && s.keyID == id {
		return s.client, ""
	}
	if s.client != nil {
		go s.client.Close() // once its running calls return
		s.client = nil
	}
	c, err := NewGemini(ctx, key, s.Gemini)
	if err != nil {
		return nil, "Gemini could not be started; answered offline."
	}
	s.client, s.keyID = c, id
	return c, ""
}

// Forget drops the cached client (after the key changed or was cleared).
func (s *Service) Forget() {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.client != nil {
		go s.client.Close() // once its running calls return
		s.client = nil
	}
}

func (s *Service) execute(ctx context.Context, r Request, p Plan) (Answer, error) {
	var active Where
	if r.Active != nil {
		var err error
		if active, err = r.Active(p.DateFrom != "" || p.DateTo != "", planColumns(p)); err != nil {
			return Answer{}, err
		}
	}
	cq, err := Compile(p, r.Dataset, active)
	if err != nil {
		return Answer{}, err
	}
	t, err := s.Exec.Run(ctx, r.WorkspaceID, cq)
	if err != nil {
		return Answer{}, err
	}
	t, chart, text := present(p, t)
	if text == NoRows {
		text += dataSpan(r.Dataset)
	}
	planText := p.Describe()
	if active.Text != "" && !p.IgnoreActiveFilters {
		planText += ", with the filters " + active.Text
	}
	return Answer{Text: text, PlanText: planText, Plan: &p, Table: &t, Chart: chart}, nil
}

// dataSpan tells when the data runs, so an empty period is easy to fix.
func dataSpan(d datasets.Dataset) string {
	c, ok := column(d, d.Mapping[mapping.Date])
	if !ok || c.Min == "" || c.Max == "" {
		return ""
	}
	return fmt.Sprintf(" The data runs from %s to %s.", firstWord(c.Min), firstWord(c.Max))
}

func firstWord(s string) string {
	if f := strings.Fields(s); len(f) > 0 {
		return f[0]
	}
	return s
}

func viewDocs(views []SavedView) []rag.ViewDoc {
	out := make([]rag.ViewDoc, len(views))
	for i, v := range views {
		out[i] = rag.ViewDoc{Name: v.Name, Description: v.Describe()}
	}
	return out
}

// planColumns are the columns a plan filters on itself.
func planColumns(p Plan) []string {
	var cols []string
	for _, f := range p.Filters {
		cols = append(cols, f.Column)
	}
	return cols
}

// fuzzy matches a word to a categorical value by local-embedding similarity.
func (s *Service) fuzzy(ctx context.Context, r Request) func(string) (rag.Match, bool) {
	return func(word string) (rag.Match, bool) {
		hits, err := s.Index.Search(ctx, r.WorkspaceID, r.Dataset, rag.Local, word, "value", 1)
		if err != nil || len(hits) == 0 || hits[0].Similarity < FuzzyThreshold {
			return rag.Match{}, false
		}
		return rag.Match{Column: hits[0].Column, Value: hits[0].Value, Via: "vector"}, true
	}
}

// FuzzyThreshold is the similarity a misspelled word needs to count as a value.
const FuzzyThreshold = 0.55

// promptContext describes the dataset to Gemini: columns, mapped fields,
// values matched in the question and retrieved documents.
func (s *Service) promptContext(ctx context.Context, r Request, q string, pc PlanContext, e rag.Embedder) string {
	var b strings.Builder
	now := pc.now()
	fmt.Fprintf(&b, "Today is %s.\nDataset %q (%s, %d rows). Columns:\n", now.Format(day), r.Dataset.Name, r.Dataset.Kind, r.Dataset.Rows)
	fieldOf := map[string]string{}
	for f, c := range r.Dataset.Mapping {
		fieldOf[c] = f
	}
	for _, c := range r.Dataset.Columns {
		fmt.Fprintf(&b, "- %s (%s)", c.Name, c.Type)
		if f := fieldOf[c.Name]; f != "" {
			fmt.Fprintf(&b, " = %s field", f)
		}
		if vals := pc.Dict.Values[c.Name]; len(vals) > 0 {
			fmt.Fprintf(&b, ", values: %s", strings.Join(firstN(vals, 40), " | "))
		}
		b.WriteString("\n")
	}
	if m := matchedValues(q, pc.Dict); len(m) > 0 {
		b.WriteString("Words of the question that are values: " + strings.Join(m, "; ") + "\n")
	}
	hits, err := s.Index.Search(ctx, r.WorkspaceID, r.Dataset, e, q, "", 8)
	if err != nil && e.Name != rag.Local.Name {
		hits, err = s.Index.Search(ctx, r.WorkspaceID, r.Dataset, rag.Local, q, "", 8)
	}
	if err == nil && len(hits) > 0 {
		b.WriteString("Related:\n")
		for _, h := range hits {
			b.WriteString("- " + h.Content + "\n")
		}
	}
	for _, v := range r.Views {
		fmt.Fprintf(&b, "Saved view %q = %s (copy its filters and dates into the plan when the question names it)\n", v.Name, v.Describe())
	}
	b.WriteString("The dashboard filters in effect are applied automatically; do not repeat them. Set ignoreActiveFilters only when the question asks for all data.\n")
	if r.Dataset.Mapping[mapping.Date] == "" {
		b.WriteString("There is no date field: do not use dateFrom/dateTo or time buckets.\n")
	}
	return b.String()
}

func (pc PlanContext) now() time.Time {
	if pc.Clock != nil {
		return pc.Clock()
	}
	return time.Now()
}

// matchedValues lists "phrase -> column = value" for the question's words.
func matchedValues(q string, dict *rag.Dictionary) []string {
	ts := tokenize(q)
	seen := map[string]bool{}
	var out []string
	for i := range ts {
		for n := rag.MaxPhraseWords; n >= 1; n-- {
			if i+n > len(ts) {
				continue
			}
			orig, _ := ts.phrase(i, n)
			for _, m := range dict.Lookup(orig) {
				s := fmt.Sprintf("%q -> %s = %s", orig, m.Column, m.Value)
				if !seen[s] {
					seen[s] = true
					out = append(out, s)
				}
			}
		}
	}
	sort.Strings(out)
	return out
}

func firstN(v []string, n int) []string {
	if len(v) > n {
		return v[:n]
	}
	return v
}
