package metrics

import "leadnavigator/backend/usstates"

// stateMap is every recognized US state's row count, for a choropleth.
func stateMap(list []catCount, column string) Chart {
	ch := Chart{Title: "Audience by state", Type: "map", X: []string{}, Locations: []string{}, Column: column, Format: "number"}
	ys := []float64{}
	for _, c := range list {
		code := usstates.Code(c.value)
		if code == "" || c.rows == 0 {
			continue
		}
		ch.X = append(ch.X, c.value)
		ch.Locations = append(ch.Locations, code)
		ys = append(ys, c.rows)
	}
	ch.Series = []Series{{Name: "Rows", Y: ys}}
	return ch
}
