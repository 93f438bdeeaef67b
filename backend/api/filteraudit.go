package api

import (
	"sync"
	"time"

	"leadnavigator/backend/auth"
	"leadnavigator/backend/filters"
)

// The audit trail gets one "filter.applied" entry per settled filter
// state, not one per click: the dashboard is recomputed on every change,
// so a user ticking three channels would otherwise leave three entries
// (and a fourth for a reordered set). A state settles when the same user
// leaves the same dataset's filters unchanged for filterSettle; only then
// is it written, and only when it differs from the last one written.
// Pending states are written at shutdown (Close).

// filterSettle is how long a filter state must stay to be audited.
const filterSettle = 3 * time.Second

type filterAuditKey struct{ user, workspace, dataset int64 }

// filterAudit holds, per user, workspace and dataset, the state waiting
// to settle and the last state written.
type filterAudit struct {
	mu       sync.Mutex
	settle   time.Duration // filterSettle; tests shorten it
	pending  map[filterAuditKey]*pendingFilters
	recorded map[filterAuditKey]string
}

type pendingFilters struct {
	caller auth.Identity
	set    filters.Set
	key    string
	timer  *time.Timer
}

// recordFilters notes the filter state a dashboard was computed with; it
// is audited once it has settled.
func (a *API) recordFilters(caller auth.Identity, workspaceID, datasetID int64, f filters.Set) {
	k := filterAuditKey{caller.ID, workspaceID, datasetID}
	canon := f.Key()
	st := &a.filters
	st.mu.Lock()
	defer st.mu.Unlock()
	if st.pending == nil {
		st.pending, st.recorded = map[filterAuditKey]*pendingFilters{}, map[filterAuditKey]string{}
	}
	if p := st.pending[k]; p != nil {
		if p.key == canon {
			return // a recompute of the same state (granularity, comparison): keep waiting
		}
		p.timer.Stop()
	}
	settle := st.settle
	if settle == 0 {
		settle = filterSettle
	}
	p := &pendingFilters{caller: caller, set: f, key: canon}
	p.timer = time.AfterFunc(settle, func() { a.settleFilters(k, p) })
	st.pending[k] = p
}

// settleFilters writes p if it is still the pending state of k.
func (a *API) settleFilters(k filterAuditKey, p *pendingFilters) {
	st := &a.filters
	st.mu.Lock()
	if st.pending[k] != p {
		st.mu.Unlock()
		return
	}
	delete(st.pending, k)
	changed := st.recorded[k] != p.key
	st.recorded[k] = p.key
	st.mu.Unlock()
	if changed && !p.set.Empty() {
		a.record(p.caller, k.workspace, "filter.applied", map[string]any{"datasetId": k.dataset, "filters": p.set.Canonical()})
	}
}

// flushFilters writes every pending state now (shutdown, tests).
func (a *API) flushFilters() {
	st := &a.filters
	st.mu.Lock()
	waiting := make(map[filterAuditKey]*pendingFilters, len(st.pending))
	for k, p := range st.pending {
		p.timer.Stop()
		waiting[k] = p
	}
	st.mu.Unlock()
	for k, p := range waiting {
		a.settleFilters(k, p)
	}
}
