package rag

import "leadnavigator/backend/mapping"

// synonym says that a phrase in a question means one of several spellings
// of a value of the column mapped to field. The first spelling present in
// the dataset wins, so "women" finds "Female" as well as "F".
type synonym struct {
	field    mapping.Field
	spelling []string
}

// synonyms maps normalized phrases to what they mean.
var synonyms = map[string]synonym{}

func addSynonyms(field mapping.Field, spellings []string, phrases ...string) {
	for _, p := range phrases {
		synonyms[Norm(p)] = synonym{field: field, spelling: spellings}
	}
}

// usStates lists code and name of every US state, DC and Puerto Rico.
var usStates = [][2]string{
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

func init() {
	for _, s := range usStates {
		spell := []string{s[1], s[0]}
		// Two-letter codes that are also English words ("in", "or", "me",
		// "hi", "ok", "de", "pa", "la") only count in upper case; the
		// question normalizer keeps the original case for that check.
		addSynonyms(mapping.State, spell, s[1], "state of "+s[1])
		if !ambiguousCode[s[0]] {
			addSynonyms(mapping.State, spell, s[0])
		}
	}
	addSynonyms(mapping.State, []string{"New York", "NY"}, "nyc", "n.y.")
	addSynonyms(mapping.State, []string{"California", "CA"}, "cali", "socal", "norcal")
	addSynonyms(mapping.State, []string{"District of Columbia", "DC", "Washington DC"}, "washington dc", "d.c.")

	female := []string{"Female", "F", "Woman", "Women", "W"}
	male := []string{"Male", "M", "Man", "Men"}
	addSynonyms(mapping.Gender, female, "women", "woman", "female", "females", "ladies", "lady", "girls", "gals")
	addSynonyms(mapping.Gender, male, "men", "man", "male", "males", "guys", "guy", "gentlemen", "boys")
	addSynonyms(mapping.Gender, []string{"Other", "Non-binary", "Nonbinary", "Unknown", "U"}, "non-binary", "nonbinary", "other gender")

	addSynonyms(mapping.Homeowner, []string{"Own", "Owner", "Homeowner", "Yes", "true", "Y"},
		"homeowners", "homeowner", "home owners", "owners", "who own their home")
	addSynonyms(mapping.Homeowner, []string{"Rent", "Renter", "No", "false", "N"}, "renters", "renter", "who rent")
	addSynonyms(mapping.Children, []string{"Yes", "true", "Y", "1"}, "with children", "with kids", "parents", "have children", "has children")
	addSynonyms(mapping.Children, []string{"No", "false", "N", "0"}, "without children", "without kids", "no children", "no kids", "childless")
	addSynonyms(mapping.MaritalStatus, []string{"Married"}, "married people", "married couples")
	addSynonyms(mapping.MaritalStatus, []string{"Single"}, "singles", "unmarried")

	addSynonyms(mapping.Channel, []string{"Paid Search", "PPC", "SEM", "Search Ads", "Google Ads", "paid_search"},
		"paid search", "ppc", "sem", "search ads", "google ads", "adwords", "paid search ads")
	addSynonyms(mapping.Channel, []string{"Organic Search", "SEO", "Organic", "organic_search"},
		"organic search", "seo", "organic")
	addSynonyms(mapping.Channel, []string{"Email", "E-mail", "Newsletter", "email"},
		"email campaign", "email campaigns", "e-mail", "emails campaign", "newsletter", "newsletters", "email marketing")
	addSynonyms(mapping.Channel, []string{"Social", "Paid Social", "Social Media", "Facebook", "social"},
		"social", "social media", "paid social", "facebook ads", "fb")
	addSynonyms(mapping.Channel, []string{"Display", "Banner", "Display Ads"}, "display", "banner ads", "display ads")
	addSynonyms(mapping.Channel, []string{"Affiliate", "Affiliates", "Partners"}, "affiliate", "affiliates", "partners")
	addSynonyms(mapping.Channel, []string{"Referral", "Referrals"}, "referral", "referrals", "word of mouth")
	addSynonyms(mapping.Channel, []string{"Direct"}, "direct", "direct traffic")
}

// ambiguousCode are state codes that are common English words; as
// lower-case words they are not taken for states.
var ambiguousCode = map[string]bool{"IN": true, "OR": true, "ME": true, "HI": true, "OK": true, "DE": true,
	"PA": true, "LA": true, "AL": true, "ID": true, "MA": true, "OH": true, "CO": true, "GA": true, "MI": true}

// StateCodes returns code -> name for the US states.
func StateCodes() map[string]string {
	out := map[string]string{}
	for _, s := range usStates {
		out[s[0]] = s[1]
	}
	return out
}
