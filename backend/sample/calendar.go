package sample

import (
	"math"
	"time"
)

// WindowDays is how far back from the anchor date the generated dates go.
const WindowDays = 730

// Anchor is the last day of the generated data: a fixed date derived from
// the seed (never the clock), so the same seed always gives the same file.
func Anchor(seed int64) time.Time {
	base := time.Date(2025, time.July, 1, 0, 0, 0, 0, time.UTC)
	return base.AddDate(0, 0, int(uint64(seed)%180))
}

// calendar maps positions in the file to dates: rows are in date order and
// their density per day follows growth, weekdays and the holiday season.
type calendar struct {
	first time.Time
	days  []string  // "2006-01-02" for each day of the window
	month []uint8   // month of each day, 0-11
	cum   []float64 // cumulative share of rows up to and including each day
	hours []float64 // cumulative share of visits up to and including each hour
}

func newCalendar(seed int64, end time.Time) *calendar {
	last := Anchor(seed)
	if !end.IsZero() {
		last = time.Date(end.Year(), end.Month(), end.Day(), 0, 0, 0, 0, time.UTC)
	}
	c := &calendar{first: last.AddDate(0, 0, -(WindowDays - 1))}
	weights := make([]float64, WindowDays)
	for i := range weights {
		day := c.first.AddDate(0, 0, i)
		c.days = append(c.days, day.Format(time.DateOnly))
		c.month = append(c.month, uint8(day.Month()-1))
		weights[i] = dayWeight(day, float64(i)/WindowDays)
	}
	c.cum = cumulative(weights)
	c.hours = cumulative(hourWeights[:])
	return c
}

// dayWeight: 35% growth over the window, quieter weekends, busy Nov-Dec.
func dayWeight(day time.Time, progress float64) float64 {
	w := 1 + 0.35*progress
	switch day.Weekday() {
	case time.Saturday:
		w *= 0.85
	case time.Sunday:
		w *= 0.9
	}
	switch day.Month() {
	case time.November:
		w *= 1.4
	case time.December:
		w *= 1.6
	case time.January:
		w *= 0.8
	}
	return w
}

var hourWeights = [24]float64{
	1.2, 0.8, 0.5, 0.4, 0.4, 0.6, 1.2, 2.2, 3.2, 4.0, 4.4, 4.6,
	4.8, 4.7, 4.5, 4.4, 4.5, 4.9, 5.4, 6.0, 6.4, 5.8, 4.2, 2.4,
}

func cumulative(weights []float64) []float64 {
	total := 0.0
	for _, w := range weights {
		total += w
	}
	cum := make([]float64, len(weights))
	run := 0.0
	for i, w := range weights {
		run += w
		cum[i] = run / total
	}
	cum[len(cum)-1] = 1
	return cum
}

// cursor walks the calendar forward; positions must not decrease.
type cursor struct {
	cal *calendar
	day int
}

// at returns the day index for a position in [0, 1) and the fraction of
// that day's share the position is at (used to place the time of day).
func (c *cursor) at(pos float64) (day int, within float64) {
	cum := c.cal.cum
	for c.day < len(cum)-1 && cum[c.day] <= pos {
		c.day++
	}
	low := 0.0
	if c.day > 0 {
		low = cum[c.day-1]
	}
	return c.day, (pos - low) / (cum[c.day] - low)
}

// secondOfDay maps a fraction of the day's visits to a second of the day,
// following the hourly traffic curve (monotonic, so rows stay in order).
func (c *calendar) secondOfDay(within float64) int {
	low := 0.0
	for h, high := range c.hours {
		if within < high || h == 23 {
			frac := (within - low) / (high - low)
			return h*3600 + int(math.Min(frac, 0.9999)*3600)
		}
		low = high
	}
	return 0
}
