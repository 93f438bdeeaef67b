package assistant

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"sync"
	"time"

	"github.com/google/generative-ai-go/genai"
	"google.golang.org/api/googleapi"
	"google.golang.org/api/option"

	"leadnavigator/backend/rag"
)

// DefaultModel is the Gemini model used unless configured otherwise.
const DefaultModel = "gemini-2.5-flash"

// DefaultEmbeddingModel embeds retrieval documents when a key is set.
const DefaultEmbeddingModel = "text-embedding-004"

// GeminiConfig says which Gemini to talk to.
type GeminiConfig struct {
	Model          string        // default DefaultModel
	EmbeddingModel string        // default DefaultEmbeddingModel
	Endpoint       string        // e.g. http://127.0.0.1:PORT in tests; "" = Google's
	Timeout        time.Duration // per call; default 20s
	HTTPClient     *http.Client  // optional transport
}

func (c GeminiConfig) withDefaults() GeminiConfig {
	if c.Model == "" {
		c.Model = DefaultModel
	}
	if c.EmbeddingModel == "" {
		c.EmbeddingModel = DefaultEmbeddingModel
	}
	if c.Timeout == 0 {
		c.Timeout = 20 * time.Second
	}
	return c
}

// Gemini plans and phrases answers with a Gemini model. It only ever
// returns plans (validated by the caller) and prose, never SQL.
type Gemini struct {
	cfg    GeminiConfig
	client *genai.Client
	// use guards the client: every call holds it for reading and Close
	// waits for them, so a key change never closes the client under a
	// running request or a background indexing.
	use    sync.RWMutex
	closed bool
}

// errGeminiClosed is what calls on a closed client return (the caller
// falls back to the offline planner or local retrieval).
var errGeminiClosed = errors.New("the Gemini client was closed (the key changed)")

// acquire holds the client for one call.
func (g *Gemini) acquire() (release func(), err error) {
	g.use.RLock()
	if g.closed {
		g.use.RUnlock()
		return nil, errGeminiClosed
	}
	return g.use.RUnlock, nil
}

// NewGemini creates a client for the API key. The REST transport builds
// its URLs from the endpoint option, so a local fake server works.
func NewGemini(ctx context.Context, key string, cfg GeminiConfig) (*Gemini, error) {
	cfg = cfg.withDefaults()
	opts := []option.ClientOption{option.WithAPIKey(key)}
	if cfg.Endpoint != "" {
		opts = append(opts, option.WithEndpoint(cfg.Endpoint))
	}
	if cfg.HTTPClient != nil {
		opts = append(opts, option.WithHTTPClient(cfg.HTTPClient))
	}
	c, err := genai.NewClient(ctx, opts...)
	if err != nil {
		return nil, fmt.Errorf("start Gemini client: %w", err)
	}
	return &Gemini{cfg: cfg, client: c}, nil
}

// Close releases the client once the calls using it have returned.
func (g *Gemini) Close() error {
	g.use.Lock()
	defer g.use.Unlock()
	if g.closed {
		return nil
	}
	g.closed = true
	return g.client.Close()
}

func str(desc string, enum ...string) *genai.Schema {
	return &genai.Schema{Type: genai.TypeString, Description: desc, Enum: enum}
}

// planSchema is the JSON schema Gemini must answer in; it mirrors Plan.
var planSchema = &genai.Schema{
	Type: genai.TypeObject,
	Properties: map[string]*genai.Schema{
		"metric": {Type: genai.TypeObject, Required: []string{"op"}, Properties: map[string]*genai.Schema{
			"op":     str("what to measure", MetricOps...),
			"column": str("column for count_distinct, sum, avg, min, max"),
		}},
		"groupBy": {Type: genai.TypeArray, Items: &genai.Schema{Type: genai.TypeObject, Required: []string{"column"},
			Properties: map[string]*genai.Schema{"column": str("column name"), "bucket": str("time bucket for date columns", Buckets...)}}},
		"filters": {Type: genai.TypeArray, Items: &genai.Schema{Type: genai.TypeObject, Required: []string{"column", "op", "values"},
			Properties: map[string]*genai.Schema{"column": str("column name"), "op": str("comparison", FilterOps...),
				"values": {Type: genai.TypeArray, Items: str("value as stored, number, or YYYY-MM-DD")}}}},
		"dateFrom":            str("first day YYYY-MM-DD on the date field"),
		"dateTo":              str("last day YYYY-MM-DD on the date field"),
		"sort":                str("order of the rows", SortOrders...),
		"limit":               {Type: genai.TypeInteger, Description: "number of rows, 0 for all"},
		"ignoreActiveFilters": {Type: genai.TypeBoolean, Description: "true only when the user asks to ignore the dashboard filters"},
		"chart":               str("chart type", "bar", "line", "pie"),
		"cannotAnswer":        str("why the question cannot be answered with one aggregate query; empty otherwise"),
	},
	Required: []string{"metric"},
}

const planInstruction = `You turn marketing analysts' questions about one dataset into a JSON query plan.
Use only the columns listed. Values in filters must be spelled exactly as in the value lists.
Named metrics: people = distinct people; revenue, net_revenue, refunds, aov (revenue per order),
refund_rate (refunds/revenue), cost, roas use the mapped fields. count counts rows (orders, conversions).
For "this year vs last" group by month_of_year and year of the date column.
If one aggregate query cannot answer the question, set cannotAnswer.`

// geminiPlan is Gemini's answer: a plan or a reason it cannot answer.
type geminiPlan struct {
	Plan
	CannotAnswer string `json:"cannotAnswer,omitempty"`
}

// Plan asks Gemini for a plan. The JSON is decoded strictly: unknown
// fields or trailing garbage make it malformed.
func (g *Gemini) Plan(ctx context.Context, question, context string) (Plan, string, error) {
	release, err := g.acquire()
	if err != nil {
		return Plan{}, "", err
	}
	defer release()
	ctx, cancel := withTimeout(ctx, g.cfg.Timeout)
	defer cancel()
	m := g.client.GenerativeModel(g.cfg.Model)
	m.SetTemperature(0)
	m.ResponseMIMEType = "application/json"
	m.ResponseSchema = planSchema
	m.SystemInstruction = genai.NewUserContent(genai.Text(planInstruction))
	res, err := m.GenerateContent(ctx, genai.Text(context+"\n\nQuestion: "+question))
	if err != nil {
		return Plan{}, "", err
	}
	text := responseText(res)
	var gp geminiPlan
	dec := json.NewDecoder(bytes.NewReader([]byte(text)))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&gp); err != nil {
		return Plan{}, "", fmt.Errorf("%w: Gemini returned a malformed plan (%v)", ErrInvalidPlan, err)
	}
	if dec.More() {
		return Plan{}, "", fmt.Errorf("%w: Gemini returned text after the plan", ErrInvalidPlan)
	}
	return gp.Plan, gp.CannotAnswer, nil
}

func withTimeout(ctx context.Context, d time.Duration) (context.Context, context.CancelFunc) {
	return context.WithTimeout(ctx, d)
}

func responseText(res *genai.GenerateContentResponse) string {
	var b strings.Builder
	for _, c := range res.Candidates {
		if c.Content == nil {
			continue
		}
		for _, p := range c.Content.Parts {
			if t, ok := p.(genai.Text); ok {
				b.WriteString(string(t))
			}
		}
		break
	}
	return b.String()
}

// Phrase asks Gemini to say the result in a sentence or two.
func (g *Gemini) Phrase(ctx context.Context, question, planText string, t Table) (string, error) {
	release, err := g.acquire()
	if err != nil {
		return "", err
	}
	defer release()
	ctx, cancel := withTimeout(ctx, g.cfg.Timeout)
	defer cancel()
	m := g.client.GenerativeModel(g.cfg.Model)
	m.SetTemperature(0.2)
	rows, _ := json.Marshal(firstRows(t, 30))
	prompt := fmt.Sprintf("Question: %s\nComputed: %s\nColumns: %s\nRows: %s\n"+
		"Answer the question in one or two plain sentences using only these numbers.", question, planText,
		strings.Join(t.Columns, ", "), rows)
	res, err := m.GenerateContent(ctx, genai.Text(prompt))
	if err != nil {
		return "", err
	}
	text := strings.TrimSpace(responseText(res))
	if text == "" {
		return "", errors.New("empty answer from Gemini")
	}
	return text, nil
}

func firstRows(t Table, n int) [][]any {
	if len(t.Rows) > n {
		return t.Rows[:n]
	}
	return t.Rows
}

// Embedder embeds retrieval documents with Gemini embeddings.
func (g *Gemini) Embedder() rag.Embedder {
	em := g.client.EmbeddingModel(g.cfg.EmbeddingModel)
	batch := func(ctx context.Context, texts []string) ([][]float32, error) {
		release, err := g.acquire()
		if err != nil {
			return nil, err
		}
		defer release()
		ctx, cancel := withTimeout(ctx, g.cfg.Timeout)
		defer cancel()
		b := em.NewBatch()
		for _, t := range texts {
			b.AddContent(genai.Text(t))
		}
		res, err := em.BatchEmbedContents(ctx, b)
		if err != nil {
			return nil, err
		}
		out := make([][]float32, len(res.Embeddings))
		for i, e := range res.Embeddings {
			out[i] = e.Values
		}
		return out, nil
	}
	return rag.Embedder{Name: "gemini-" + g.cfg.EmbeddingModel, Batch: batch, Func: func(ctx context.Context, text string) ([]float32, error) {
		release, err := g.acquire()
		if err != nil {
			return nil, err
		}
		defer release()
		ctx, cancel := withTimeout(ctx, g.cfg.Timeout)
		defer cancel()
		res, err := em.EmbedContent(ctx, genai.Text(text))
		if err != nil {
			return nil, err
		}
		if res.Embedding == nil || len(res.Embedding.Values) == 0 {
			return nil, errors.New("empty embedding from Gemini")
		}
		return res.Embedding.Values, nil
	}}
}

// FailureNotice explains, without secrets, why Gemini was not used.
func FailureNotice(err error) string {
	var gerr *googleapi.Error
	switch {
	case errors.As(err, &gerr) && gerr.Code == http.StatusTooManyRequests:
		return "Gemini quota exceeded (429); answered offline."
	case errors.As(err, &gerr) && (gerr.Code == http.StatusUnauthorized || gerr.Code == http.StatusForbidden):
		return "Gemini rejected the API key; answered offline. Check the key in Settings."
	case errors.As(err, &gerr):
		return fmt.Sprintf("Gemini answered with HTTP %d; answered offline.", gerr.Code)
	case errors.Is(err, context.DeadlineExceeded):
		return "Gemini did not answer in time; answered offline."
	case errors.Is(err, ErrInvalidPlan):
		return "Gemini's plan did not fit this dataset (" + strings.TrimPrefix(err.Error(), ErrInvalidPlan.Error()+": ") + "); answered offline."
	}
	return "Gemini could not be reached (no network?); answered offline."
}
