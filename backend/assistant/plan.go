// Package assistant answers questions about a dataset. A question becomes
// a structured Plan (by Gemini or by the offline planner); the plan is
// validated against the dataset's schema and compiled to one parameterized
// DuckDB query. Nothing the model writes is ever run as SQL: only plan
// fields are read, column names must exist in the dataset and are quoted
// with engine.QuoteIdent, and every value travels as a bound parameter.
package assistant

import (
	"fmt"
	"strings"

	"leadnavigator/backend/mapping"
)

// Metric ops. The first six work on any column; the rest are named
// business metrics over mapped fields.
const (
	OpCount         = "count"          // rows
	OpCountDistinct = "count_distinct" // distinct values of Column
	OpSum           = "sum"
	OpAvg           = "avg"
	OpMin           = "min"
	OpMax           = "max"
	OpPeople        = "people"      // distinct people (email, customer id or visitor id)
	OpRevenue       = "revenue"     // sum of revenue
	OpNetRevenue    = "net_revenue" // revenue minus refunds
	OpRefunds       = "refunds"     // sum of refunds
	OpAOV           = "aov"         // revenue per order
	OpRefundRate    = "refund_rate" // refunds / revenue
	OpCost          = "cost"        // sum of cost
	OpROAS          = "roas"        // revenue / cost
)

// MetricOps lists every metric op (the JSON schema enum sent to Gemini).
var MetricOps = []string{OpCount, OpCountDistinct, OpSum, OpAvg, OpMin, OpMax, OpPeople, OpRevenue,
	OpNetRevenue, OpRefunds, OpAOV, OpRefundRate, OpCost, OpROAS}

// Time buckets for grouping by a date column.
var Buckets = []string{"day", "week", "month", "quarter", "year", "month_of_year"}

// Filter ops.
var FilterOps = []string{"in", "not_in", "between", "gte", "lte", "gt", "lt"}

// Sort orders.
var SortOrders = []string{"value_desc", "value_asc", "group_asc", "group_desc"}

// Metric is what is measured.
type Metric struct {
	Op     string `json:"op"`
	Column string `json:"column,omitempty"` // for count_distinct, sum, avg, min, max
}

// GroupBy is one grouping: a column, or a date column cut into buckets.
type GroupBy struct {
	Column string `json:"column"`
	Bucket string `json:"bucket,omitempty"`
}

// Filter restricts rows: column in values, not in values, or a range.
type Filter struct {
	Column string   `json:"column"`
	Op     string   `json:"op"`
	Values []string `json:"values"`
}

// Plan is a structured query over one dataset.
type Plan struct {
	Metric   Metric    `json:"metric"`
	GroupBy  []GroupBy `json:"groupBy,omitempty"`
	Filters  []Filter  `json:"filters,omitempty"`
	DateFrom string    `json:"dateFrom,omitempty"` // YYYY-MM-DD, on the dataset's date field
	DateTo   string    `json:"dateTo,omitempty"`
	Sort     string    `json:"sort,omitempty"`
	Limit    int       `json:"limit,omitempty"`
	// IgnoreActiveFilters answers over all rows instead of the dashboard's filters.
	IgnoreActiveFilters bool   `json:"ignoreActiveFilters,omitempty"`
	Chart               string `json:"chart,omitempty"` // bar, line, pie or "" (picked from the shape)
}

var metricNames = map[string]string{
	OpCount: "Number of rows", OpPeople: "Distinct people", OpRevenue: "Revenue", OpNetRevenue: "Net revenue",
	OpRefunds: "Refunds", OpAOV: "Average order value", OpRefundRate: "Refund rate", OpCost: "Cost", OpROAS: "ROAS",
}

// MetricLabel names the metric in plain words.
func (m Metric) Label() string {
	switch m.Op {
	case OpCountDistinct:
		return "Distinct " + m.Column
	case OpSum:
		return "Sum of " + m.Column
	case OpAvg:
		return "Average " + m.Column
	case OpMin:
		return "Minimum " + m.Column
	case OpMax:
		return "Maximum " + m.Column
	}
	if n, ok := metricNames[m.Op]; ok {
		return n
	}
	return m.Op
}

// Describe says what the plan computes in plain words, e.g.
// "Revenue grouped by state, top 5, date 2026-01-01..2026-03-31".
func (p Plan) Describe() string {
	parts := []string{p.Metric.Label()}
	if len(p.GroupBy) > 0 {
		var gs []string
		for _, g := range p.GroupBy {
			if g.Bucket != "" {
				gs = append(gs, strings.ReplaceAll(g.Bucket, "_", " ")+" of "+g.Column)
			} else {
				gs = append(gs, g.Column)
			}
		}
		parts[0] += " grouped by " + strings.Join(gs, " and ")
	}
	for _, f := range p.Filters {
		parts = append(parts, describeFilter(f))
	}
	if p.Limit > 0 {
		switch p.Sort {
		case "value_asc":
			parts = append(parts, fmt.Sprintf("bottom %d", p.Limit))
		case "value_desc", "":
			parts = append(parts, fmt.Sprintf("top %d", p.Limit))
		default:
			parts = append(parts, fmt.Sprintf("first %d", p.Limit))
		}
	}
	if p.DateFrom != "" || p.DateTo != "" {
		parts = append(parts, fmt.Sprintf("date %s..%s", p.DateFrom, p.DateTo))
	}
	if p.IgnoreActiveFilters {
		parts = append(parts, "ignoring the dashboard filters")
	}
	return strings.Join(parts, ", ")
}

func describeFilter(f Filter) string {
	switch f.Op {
	case "in":
		return f.Column + " = " + strings.Join(f.Values, " or ")
	case "not_in":
		return f.Column + " not " + strings.Join(f.Values, " or ")
	case "between":
		return fmt.Sprintf("%s between %s and %s", f.Column, at(f.Values, 0), at(f.Values, 1))
	}
	sym := map[string]string{"gte": ">=", "lte": "<=", "gt": ">", "lt": "<"}[f.Op]
	return fmt.Sprintf("%s %s %s", f.Column, sym, at(f.Values, 0))
}

func at(v []string, i int) string {
	if i < len(v) {
		return v[i]
	}
	return ""
}

// fieldsNeeded lists the mapped fields a named metric reads.
func fieldsNeeded(op string) []mapping.Field {
	switch op {
	case OpRevenue, OpAOV:
		return []mapping.Field{mapping.Revenue}
	case OpNetRevenue, OpRefundRate:
		return []mapping.Field{mapping.Revenue, mapping.Refund}
	case OpRefunds:
		return []mapping.Field{mapping.Refund}
	case OpCost:
		return []mapping.Field{mapping.Cost}
	case OpROAS:
		return []mapping.Field{mapping.Revenue, mapping.Cost}
	}
	return nil
}
