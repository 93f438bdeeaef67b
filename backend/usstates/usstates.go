// Package usstates is the one list of US states (with DC and Puerto Rico)
// and their USPS codes, shared by column mapping, the dashboards' state map
// and the assistant's vocabulary.
package usstates

import "strings"

// State is one state's USPS code and name.
type State struct {
	Code string
	Name string
}

// All lists every state, DC and Puerto Rico.
var All = []State{
	{"AL", "Alabama"}, {"AK", "Alaska"}, {"AZ", "Arizona"}, {"AR", "Arkansas"}, {"CA", "California"},
	{"CO", "Colorado"}, {"CT", "Connecticut"}, {"DE", "Delaware"}, {"FL", "Florida"}, {"GA", "Georgia"},
	{"HI", "Hawaii"}, {"ID", "Idaho"}, {"IL", "Illinois"}, {"IN", "Indiana"}, {"IA", "Iowa"},
	{"KS", "Kansas"}, {"KY", "Kentucky"}, {"LA", "Louisiana"}, {"ME", "Maine"}, {"MD", "Maryland"},
	{"MA", "Massachusetts"}, {"MI", "Michigan"}, {"MN", "Minnesota"}, {"MS", "Mississippi"}, {"MO", "Missouri"},
	{"MT", "Montana"}, {"NE", "Nebraska"}, {"NV", "Nevada"}, {"NH", "New Hampshire"}, {"NJ", "New Jersey"},
	{"NM", "New Mexico"}, {"NY", "New York"}, {"NC", "North Carolina"}, {"ND", "North Dakota"}, {"OH", "Ohio"},
	{"OK", "Oklahoma"}, {"OR", "Oregon"}, {"PA", "Pennsylvania"}, {"RI", "Rhode Island"}, {"SC", "South Carolina"},
	{"SD", "South Dakota"}, {"TN", "Tennessee"}, {"TX", "Texas"}, {"UT", "Utah"}, {"VT", "Vermont"},
	{"VA", "Virginia"}, {"WA", "Washington"}, {"WV", "West Virginia"}, {"WI", "Wisconsin"}, {"WY", "Wyoming"},
	{"DC", "District of Columbia"}, {"PR", "Puerto Rico"},
}

// byKey maps lower-case names, codes and common spellings to codes.
var byKey = func() map[string]string {
	m := map[string]string{"washington dc": "DC", "washington, d.c.": "DC", "d.c.": "DC"}
	for _, s := range All {
		m[strings.ToLower(s.Code)] = s.Code
		m[strings.ToLower(s.Name)] = s.Code
	}
	return m
}()

// Code returns the USPS code of a state name or code, in any letter case
// ("" when s is not a state).
func Code(s string) string { return byKey[strings.ToLower(strings.TrimSpace(s))] }

// Name returns the name of a state code ("" when unknown).
func Name(code string) string {
	code = strings.ToUpper(strings.TrimSpace(code))
	for _, s := range All {
		if s.Code == code {
			return s.Name
		}
	}
	return ""
}
