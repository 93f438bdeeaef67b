package rag

import (
	"leadnavigator/backend/mapping"
	"leadnavigator/backend/usstates"
)

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

func init() {
	for _, s := range usstates.All {
		spell := []string{s.Name, s.Code}
		// Two-letter codes that are also English words ("in", "or", "me",
		// "hi", "ok", "de", "pa", "la") only count in upper case; the
		// question normalizer keeps the original case for that check.
		addSynonyms(mapping.State, spell, s.Name, "state of "+s.Name)
		if !ambiguousCode[s.Code] {
			addSynonyms(mapping.State, spell, s.Code)
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
