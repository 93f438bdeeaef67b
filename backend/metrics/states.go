package metrics

import "strings"

// usStates maps lower-case state names and codes to 2-letter codes, for
// Plotly's USA-states choropleth.
var usStates = map[string]string{}

func init() {
	names := map[string]string{
		"AL": "Alabama", "AK": "Alaska", "AZ": "Arizona", "AR": "Arkansas", "CA": "California", "CO": "Colorado",
		"CT": "Connecticut", "DE": "Delaware", "DC": "District of Columbia", "FL": "Florida", "GA": "Georgia",
		"HI": "Hawaii", "ID": "Idaho", "IL": "Illinois", "IN": "Indiana", "IA": "Iowa", "KS": "Kansas",
		"KY": "Kentucky", "LA": "Louisiana", "ME": "Maine", "MD": "Maryland", "MA": "Massachusetts",
		"MI": "Michigan", "MN": "Minnesota", "MS": "Mississippi", "MO": "Missouri", "MT": "Montana",
		"NE": "Nebraska", "NV": "Nevada", "NH": "New Hampshire", "NJ": "New Jersey", "NM": "New Mexico",
		"NY": "New York", "NC": "North Carolina", "ND": "North Dakota", "OH": "Ohio", "OK": "Oklahoma",
		"OR": "Oregon", "PA": "Pennsylvania", "RI": "Rhode Island", "SC": "South Carolina", "SD": "South Dakota",
		"TN": "Tennessee", "TX": "Texas", "UT": "Utah", "VT": "Vermont", "VA": "Virginia", "WA": "Washington",
		"WV": "West Virginia", "WI": "Wisconsin", "WY": "Wyoming",
	}
	for code, name := range names {
		usStates[strings.ToLower(code)] = code
		usStates[strings.ToLower(name)] = code
	}
	usStates["washington dc"] = "DC"
	usStates["washington, d.c."] = "DC"
}

// StateCode returns the 2-letter code of a US state name or code ("" if unknown).
func StateCode(s string) string { return usStates[strings.ToLower(strings.TrimSpace(s))] }

// stateMap is every recognized US state's row count, for a choropleth.
func stateMap(list []catCount, column string) Chart {
	ch := Chart{Title: "Audience by state", Type: "map", X: []string{}, Locations: []string{}, Column: column, Format: "number"}
	ys := []float64{}
	for _, c := range list {
		code := StateCode(c.value)
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
