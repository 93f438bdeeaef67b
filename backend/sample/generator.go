package sample

import (
	"fmt"
	"math"
	"math/rand/v2"
)

// Kinds of sample file.
const (
	Buyers   = "buyers"
	Visitors = "visitors"
)

// Share of rows that belong to someone seen earlier in the file.
const (
	repeatBuyerRate    = 0.30
	returningVisitRate = 0.35
	visitorEmailRate   = 0.45
)

var buyerHeader = []string{
	"order_id", "order_date", "customer_email", "first_name", "channel", "source", "campaign",
	"gender", "age", "age_range", "income_range", "net_worth", "credit_rating", "homeowner",
	"marital_status", "children", "state", "city", "zip", "revenue", "refund", "cost",
}

var visitorHeader = []string{
	"visitor_id", "visit_date", "is_new_visitor", "channel", "source", "campaign", "landing_page",
	"device", "gender", "age", "age_range", "income_range", "net_worth", "credit_rating",
	"homeowner", "marital_status", "children", "state", "email",
}

// Generator yields the rows of one sample file in order. Rows are sorted by
// date; everything depends only on Options, never on the clock.
type Generator struct {
	opts   Options
	row    int
	src    rand.PCG
	r      *rand.Rand
	cal    *calendar
	cur    cursor
	people *people
	who    person
	nextID uint64 // people seen so far; ids are 0..nextID-1

	channels  choice
	sources   []choice
	campaigns [12]choice // by month
	pages     choice
	devices   choice

	buf  []byte // the current row, fields back to back
	ends []int  // end offset of each field in buf
}

// NewGenerator checks opts and prepares a generator for opts.Rows rows.
func NewGenerator(opts Options) (*Generator, error) {
	if opts.Kind != Buyers && opts.Kind != Visitors {
		return nil, fmt.Errorf("unknown sample kind %q (want %q or %q)", opts.Kind, Buyers, Visitors)
	}
	if opts.Rows < 0 {
		return nil, fmt.Errorf("rows must be 0 or more, got %d", opts.Rows)
	}
	g := &Generator{opts: opts, cal: newCalendar(opts.Seed, opts.End)}
	g.src.Seed(uint64(opts.Seed), 0x1ead0a11)
	g.r = rand.New(&g.src)
	g.cur = cursor{cal: g.cal}
	ages, mail := buyerAgeWeights, 1.0
	if opts.Kind == Visitors {
		ages, mail = visitorAgeWeights, visitorEmailRate
	}
	g.people = newPeople(opts.Seed, ages, mail)
	g.initChoices()
	return g, nil
}

func (g *Generator) initChoices() {
	names := make([]weightedValue, len(channelSpecs))
	for i, c := range channelSpecs {
		names[i] = weightedValue{c.name, c.weight}
		g.sources = append(g.sources, newChoice(c.sources))
	}
	g.channels = newChoice(names)
	g.campaigns = campaignsByMonth()
	g.pages = newChoice(landingPages)
	g.devices = newChoice(devices)
}

// Header returns the column names.
func (g *Generator) Header() []string {
	if g.opts.Kind == Visitors {
		return append([]string(nil), visitorHeader...)
	}
	return append([]string(nil), buyerHeader...)
}

// Rows is the number of data rows the generator yields.
func (g *Generator) Rows() int { return g.opts.Rows }

// Next returns the next row, or false after the last one.
func (g *Generator) Next() ([]string, bool) {
	if !g.advance() {
		return nil, false
	}
	line := string(g.buf)
	fields := make([]string, len(g.ends))
	start := 0
	for i, end := range g.ends {
		fields[i] = line[start:end]
		start = end
	}
	return fields, true
}

// advance generates the next row into buf/ends.
func (g *Generator) advance() bool {
	if g.row >= g.opts.Rows {
		return false
	}
	g.buf, g.ends = g.buf[:0], g.ends[:0]
	pos := (float64(g.row) + g.r.Float64()) / float64(g.opts.Rows)
	day, within := g.cur.at(pos)
	if g.opts.Kind == Visitors {
		g.visit(day, within)
	} else {
		g.order(day)
	}
	g.row++
	return true
}

// nextPerson picks a returning person with probability repeat, else a new
// one; it reports whether the person is new.
func (g *Generator) nextPerson(repeat float64) (uint64, bool) {
	if g.nextID > 0 && chance(g.r, repeat) {
		return g.r.Uint64N(g.nextID), false
	}
	g.nextID++
	return g.nextID - 1, true
}

func (g *Generator) order(day int) {
	id, _ := g.nextPerson(repeatBuyerRate)
	g.people.fill(&g.who, id)
	g.str("ORD-")
	g.buf = appendPadded(g.buf, uint64(g.row)+1, 8)
	g.end()
	g.str(g.cal.days[day])
	g.end()
	g.bytes(g.who.email)
	g.field(g.who.firstName)
	channel := g.marketing(day)
	g.demographics()
	g.field(g.who.city)
	g.buf = appendPadded(g.buf, uint64(g.who.zip), 5)
	g.end()
	g.money(channel)
}

func (g *Generator) visit(day int, within float64) {
	id, isNew := g.nextPerson(returningVisitRate)
	g.people.fill(&g.who, id)
	g.str("VIS-")
	g.buf = appendPadded(g.buf, id+1, 8)
	g.end()
	g.str(g.cal.days[day])
	g.buf = appendClock(g.buf, g.cal.secondOfDay(within))
	g.end()
	g.field(yesNo(isNew))
	g.marketing(day)
	g.field(g.pages.pick(g.r))
	g.field(g.devices.pick(g.r))
	g.demographics()
	g.bytes(g.who.email)
}

// marketing writes channel, source and campaign (one running that day) and
// returns the channel.
func (g *Generator) marketing(day int) *channelSpec {
	i := g.channels.index(g.r)
	c := &channelSpecs[i]
	g.field(c.name)
	g.field(g.sources[i].pick(g.r))
	if c.hasCampaign {
		g.field(g.campaigns[g.cal.month[day]].pick(g.r))
	} else {
		g.field(noCampaign)
	}
	return c
}

// demographics writes gender through state, in header order.
func (g *Generator) demographics() {
	w := &g.who
	g.field(w.gender)
	g.buf = appendUint(g.buf, uint64(w.age))
	g.end()
	g.field(ageRanges[w.ageBracket])
	g.field(incomeRanges[w.income])
	g.field(netWorths[w.netWorth])
	g.field(creditRatings[w.credit])
	g.field(pick(w.ownsHome, "Own", "Rent"))
	g.field(pick(w.married, "Married", "Single"))
	g.field(yesNo(w.children))
	g.field(w.state)
}

// money writes revenue, refund and cost of one order, in cents.
func (g *Generator) money(c *channelSpec) {
	r := g.r
	mean := math.Log(78) + 0.08*float64(g.who.income)
	revenue := int64(math.Min(math.Max(math.Exp(mean+0.75*r.NormFloat64()), 4.99), 4999) * 100)
	var refund int64
	switch u := r.Float64(); {
	case u < 0.04:
		refund = revenue
	case u < 0.10:
		refund = revenue * int64(10+r.IntN(51)) / 100
	}
	cost := int64((c.costFixed*(0.5+r.Float64()) + c.costShare*float64(revenue)/100) * 100)
	for _, cents := range [...]int64{revenue, refund, cost} {
		g.buf = appendCurrency(g.buf, cents)
		g.end()
	}
}

func (g *Generator) str(s string)   { g.buf = append(g.buf, s...) }
func (g *Generator) end()           { g.ends = append(g.ends, len(g.buf)) }
func (g *Generator) field(s string) { g.str(s); g.end() }
func (g *Generator) bytes(b []byte) { g.buf = append(g.buf, b...); g.end() }
func yesNo(b bool) string           { return pick(b, "Yes", "No") }
func pick(b bool, yes, no string) string {
	if b {
		return yes
	}
	return no
}
