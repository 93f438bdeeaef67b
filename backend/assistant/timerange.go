package assistant

import (
	"strconv"
	"time"

	"leadnavigator/backend/mapping"
)

// Clock tells the planner what "this year" and "last quarter" mean.
type Clock func() time.Time

const day = "2006-01-02"

var monthNames = map[string]time.Month{"january": 1, "jan": 1, "february": 2, "feb": 2, "march": 3, "mar": 3,
	"april": 4, "apr": 4, "may": 5, "june": 6, "jun": 6, "july": 7, "jul": 7, "august": 8, "aug": 8,
	"september": 9, "sep": 9, "sept": 9, "october": 10, "oct": 10, "november": 11, "nov": 11, "december": 12, "dec": 12}

// timeRange reads relative and absolute periods into DateFrom/DateTo.
func (o *offline) timeRange() error {
	now := time.Now()
	if o.ctx.Clock != nil {
		now = o.ctx.Clock()
	}
	// "over the last 12 months": "over" is a period here, not a comparison.
	for _, lead := range [][]string{{"over", "the", "last"}, {"over", "the", "past"}, {"over", "last"}, {"over", "past"}} {
		if i := o.ts.find(lead...); i >= 0 {
			o.ts.take(i, len(lead)-1)
		}
	}
	from, to, ok := o.period(now)
	if !ok {
		return nil
	}
	if o.ctx.Dataset.Mapping[mapping.Date] == "" {
		return refuse("A time period needs a date column mapped to the Date field.")
	}
	o.plan.DateFrom, o.plan.DateTo = from.Format(day), to.Format(day)
	return nil
}

func yearRange(y int) (time.Time, time.Time) {
	return time.Date(y, 1, 1, 0, 0, 0, 0, time.UTC), time.Date(y, 12, 31, 0, 0, 0, 0, time.UTC)
}

func quarterRange(y, q int) (time.Time, time.Time) {
	from := time.Date(y, time.Month(3*(q-1)+1), 1, 0, 0, 0, 0, time.UTC)
	return from, from.AddDate(0, 3, -1)
}

func monthRange(y int, m time.Month) (time.Time, time.Time) {
	from := time.Date(y, m, 1, 0, 0, 0, 0, time.UTC)
	return from, from.AddDate(0, 1, -1)
}

// period finds one period phrase in the question and consumes it.
func (o *offline) period(now time.Time) (time.Time, time.Time, bool) {
	y, q, m := now.Year(), (int(now.Month())-1)/3+1, now.Month()
	today := time.Date(y, m, now.Day(), 0, 0, 0, 0, time.UTC)
	ts := o.ts
	if ts.takeAny("this year vs last year", "this year versus last year", "this year vs last", "this year versus last",
		"this year compared to last year", "this year compared with last year", "year over year", "yoy", "vs last year", "versus last year", "compared to last year") {
		o.compare = true
		from, _ := yearRange(y - 1)
		_, to := yearRange(y)
		return from, to, true
	}
	relative := []struct {
		phrases []string
		from    func() (time.Time, time.Time)
	}{
		{[]string{"last quarter", "previous quarter", "past quarter"}, func() (time.Time, time.Time) {
			if q == 1 {
				return quarterRange(y-1, 4)
			}
			return quarterRange(y, q-1)
		}},
		{[]string{"this quarter", "current quarter", "quarter to date"}, func() (time.Time, time.Time) { return quarterRange(y, q) }},
		{[]string{"last year", "previous year", "past year"}, func() (time.Time, time.Time) { return yearRange(y - 1) }},
		{[]string{"year to date", "ytd"}, func() (time.Time, time.Time) { f, _ := yearRange(y); return f, today }},
		{[]string{"this year", "current year"}, func() (time.Time, time.Time) { return yearRange(y) }},
		{[]string{"last month", "previous month", "past month"}, func() (time.Time, time.Time) {
			return monthRange(y, m-1) // time.Date normalizes month 0 to December of the year before
		}},
		{[]string{"this month", "current month", "month to date"}, func() (time.Time, time.Time) { return monthRange(y, m) }},
	}
	for _, r := range relative {
		if ts.takeAny(r.phrases...) {
			f, t := r.from()
			return f, t, true
		}
	}
	return o.absolutePeriod(now, today)
}

// absolutePeriod reads "last 30 days", "Q1 2026", "March 2026", "2025", "2026-01-01 to 2026-03-31".
func (o *offline) absolutePeriod(now, today time.Time) (time.Time, time.Time, bool) {
	ts := o.ts
	// Rolling windows ending today: "last 30 days", "past 8 weeks", "last 12 months".
	for _, lead := range []string{"last", "past"} {
		for _, unit := range []string{"days", "weeks", "months"} {
			i := ts.find(lead, "#", unit)
			if i < 0 {
				continue
			}
			n, err := strconv.Atoi(ts[i+1].low)
			if err != nil || n <= 0 || n > 3650 {
				continue
			}
			ts.take(i, 3)
			switch unit {
			case "days":
				return today.AddDate(0, 0, -(n - 1)), today, true
			case "weeks":
				return today.AddDate(0, 0, -(7*n - 1)), today, true
			}
			return today.AddDate(0, -n, 1), today, true
		}
	}
	for i := range ts {
		if f, t, n, ok := o.datesAt(i, now); ok {
			ts.take(i, n)
			return f, t, true
		}
	}
	return time.Time{}, time.Time{}, false
}

// datesAt reads a period starting at word i and says how many words it took.
func (o *offline) datesAt(i int, now time.Time) (time.Time, time.Time, int, bool) {
	ts := o.ts
	if ts[i].used {
		return time.Time{}, time.Time{}, 0, false
	}
	w := ts[i].low
	if a, err := time.Parse(day, w); err == nil {
		for _, sep := range []string{"to", "and", "through", "until", "-"} {
			if ts.at(i+1, sep) && i+2 < len(ts) && !ts[i+2].used {
				if b, err := time.Parse(day, ts[i+2].low); err == nil {
					return a, b, 3, true
				}
			}
		}
		return a, a, 1, true
	}
	if len(w) == 2 && w[0] == 'q' && w[1] >= '1' && w[1] <= '4' {
		y := now.Year()
		n := 1
		if yy, ok := yearAt(ts, i+1); ok {
			y, n = yy, 2
		}
		f, t := quarterRange(y, int(w[1]-'0'))
		return f, t, n, true
	}
	if mo, ok := monthNames[w]; ok && (len(w) > 3 || ts[i].orig != w) {
		if yy, ok := yearAt(ts, i+1); ok {
			f, t := monthRange(yy, mo)
			return f, t, 2, true
		}
		y := now.Year()
		if mo > now.Month() {
			y-- // "March" in January means the March just gone
		}
		f, t := monthRange(y, mo)
		return f, t, 1, true
	}
	if yy, ok := yearAt(ts, i); ok {
		f, t := yearRange(yy)
		return f, t, 1, true
	}
	return time.Time{}, time.Time{}, 0, false
}

func yearAt(ts tokens, i int) (int, bool) {
	if i >= len(ts) || ts[i].used || len(ts[i].low) != 4 {
		return 0, false
	}
	y, err := strconv.Atoi(ts[i].low)
	return y, err == nil && y >= 1990 && y <= 2100
}
