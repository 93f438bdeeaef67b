package sample

import "math/rand/v2"

// pickBits sets the resolution of weighted picks: a table of 2^pickBits
// slots, so a pick is one random number and one index, with no search.
const pickBits = 12

// choice is a weighted set of strings.
type choice struct {
	values []string
	slots  []uint16 // 1<<pickBits indexes into values, in proportion to the weights
}

// weightedValue is one entry of a weighted table.
type weightedValue struct {
	value  string
	weight float64
}

// newChoice builds the lookup table; every value with a positive weight gets
// at least one slot.
func newChoice(entries []weightedValue) choice {
	weights := make([]float64, len(entries))
	values := make([]string, len(entries))
	for i, e := range entries {
		values[i] = e.value
		weights[i] = e.weight
	}
	return choice{values: values, slots: buildSlots(weights)}
}

// buildSlots spreads 1<<pickBits slots over the weights (largest remainder).
func buildSlots(weights []float64) []uint16 {
	const n = 1 << pickBits
	total := 0.0
	for _, w := range weights {
		total += w
	}
	counts := make([]int, len(weights))
	used := 0
	for i, w := range weights {
		if w <= 0 {
			continue
		}
		counts[i] = max(1, int(w/total*n))
		used += counts[i]
	}
	for i := 0; used < n; i = (i + 1) % len(weights) {
		if weights[i] > 0 {
			counts[i]++
			used++
		}
	}
	for i := len(weights) - 1; used > n; i = (i + len(weights) - 1) % len(weights) {
		if counts[i] > 1 {
			counts[i]--
			used--
		}
	}
	slots := make([]uint16, 0, n)
	for i, c := range counts {
		for range c {
			slots = append(slots, uint16(i))
		}
	}
	return slots
}

// index returns a weighted random index into values.
func (c *choice) index(r *rand.Rand) int {
	return int(c.slots[r.Uint64()>>(64-pickBits)])
}

// pick returns a weighted random value.
func (c *choice) pick(r *rand.Rand) string {
	return c.values[c.index(r)]
}

// chance reports true with probability p.
func chance(r *rand.Rand, p float64) bool {
	return r.Float64() < p
}
