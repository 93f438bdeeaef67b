package sample

import "slices"

// Marketing dimensions. Weights are relative shares, skewed the way a
// typical direct-to-consumer business sees them.

// channelSpec is one marketing channel with its traffic sources and the
// acquisition cost of one order (a fixed part and a share of revenue).
type channelSpec struct {
	name        string
	weight      float64
	sources     []weightedValue
	hasCampaign bool
	costFixed   float64 // average cost per order in dollars
	costShare   float64 // commission as a share of revenue
}

var channelSpecs = []channelSpec{
	{"Paid Search", 22, []weightedValue{{"google", 72}, {"bing", 22}, {"yahoo", 6}}, true, 18, 0},
	{"Organic Search", 18, []weightedValue{{"google", 80}, {"bing", 12}, {"duckduckgo", 5}, {"yahoo", 3}}, false, 1.5, 0},
	{"Email", 12, []weightedValue{{"newsletter", 50}, {"promo_email", 25}, {"abandoned_cart", 15}, {"welcome_series", 10}}, true, 0.8, 0},
	{"Paid Social", 10, []weightedValue{{"facebook", 45}, {"instagram", 35}, {"tiktok", 15}, {"pinterest", 5}}, true, 22, 0},
	{"Direct", 9, []weightedValue{{"(direct)", 1}}, false, 0, 0},
	{"Organic Social", 6, []weightedValue{{"facebook", 35}, {"instagram", 35}, {"tiktok", 15}, {"linkedin", 5}, {"x", 5}, {"reddit", 5}}, false, 1, 0},
	{"Referral", 6, []weightedValue{{"wirecutter", 30}, {"reddit", 25}, {"partner_blog", 25}, {"producthunt", 20}}, false, 2, 0},
	{"Affiliate", 5, []weightedValue{{"rakuten", 35}, {"impact", 30}, {"cj", 20}, {"shareasale", 15}}, true, 2, 0.08},
	{"Display", 4, []weightedValue{{"google_display", 55}, {"criteo", 30}, {"taboola", 15}}, true, 26, 0},
	{"Video", 3, []weightedValue{{"youtube", 80}, {"ctv", 20}}, true, 30, 0},
	{"SMS", 3, []weightedValue{{"attentive", 60}, {"postscript", 40}}, true, 0.5, 0},
	{"Podcast", 2, []weightedValue{{"spotify", 55}, {"apple_podcasts", 45}}, true, 15, 0},
}

// noCampaign is the campaign of organic, direct and referral traffic.
const noCampaign = "(not set)"

// campaignSpec is a campaign with its share and, for seasonal ones, the
// months (1-12) it runs in; nil months means all year.
type campaignSpec struct {
	name   string
	weight float64
	months []int
}

var campaigns = []campaignSpec{
	{"Always On Brand", 14, nil}, {"Spring Sale", 20, []int{3, 4, 5}}, {"Summer Sale", 20, []int{6, 7, 8}},
	{"Back to School", 20, []int{8, 9}}, {"Black Friday", 60, []int{11}}, {"Cyber Monday", 30, []int{11, 12}},
	{"Holiday Gift Guide", 30, []int{11, 12}}, {"New Year Reset", 30, []int{1}}, {"Valentine's Day", 25, []int{2}},
	{"Mother's Day", 25, []int{5}}, {"Father's Day", 25, []int{6}}, {"Memorial Day", 15, []int{5}},
	{"Labor Day", 15, []int{9}}, {"Prime Day Counter", 20, []int{7}}, {"Retargeting - Cart", 6, nil},
	{"Retargeting - Viewers", 5, nil}, {"Lookalike Buyers", 4, nil}, {"New Product Launch", 4, []int{3, 4, 9, 10}},
	{"Loyalty Rewards", 3, nil}, {"Win-Back", 3, nil}, {"Free Shipping Weekend", 3, nil}, {"Clearance", 8, []int{1, 2, 8}},
	{"Influencer Collab", 2, nil}, {"Brand Awareness", 2, nil}, {"Competitor Conquest", 1, nil},
}

// campaignsByMonth returns, for each month, the weighted campaigns running then.
func campaignsByMonth() [12]choice {
	var byMonth [12]choice
	for m := range byMonth {
		var running []weightedValue
		for _, c := range campaigns {
			if c.months == nil || slices.Contains(c.months, m+1) {
				running = append(running, weightedValue{c.name, c.weight})
			}
		}
		byMonth[m] = newChoice(running)
	}
	return byMonth
}

var landingPages = []weightedValue{
	{"/", 30}, {"/collections/new-arrivals", 9}, {"/collections/best-sellers", 8}, {"/products/everyday-sneaker", 7},
	{"/products/trail-jacket", 5}, {"/products/merino-tee", 5}, {"/sale", 7}, {"/pricing", 3},
	{"/blog/how-to-choose-running-shoes", 5}, {"/blog/gift-ideas", 4}, {"/landing/spring-sale", 3},
	{"/landing/black-friday", 3}, {"/about", 2}, {"/contact", 1}, {"/cart", 4}, {"/checkout", 3},
}

var devices = []weightedValue{{"Mobile", 52}, {"Desktop", 41}, {"Tablet", 7}}

var genders = []weightedValue{{"Female", 52}, {"Male", 46}, {"Other", 2}}

var femaleNames = []string{
	"Mary", "Patricia", "Jennifer", "Linda", "Elizabeth", "Barbara", "Susan", "Jessica", "Sarah", "Karen",
	"Lisa", "Nancy", "Betty", "Sandra", "Margaret", "Ashley", "Kimberly", "Emily", "Donna", "Michelle",
	"Carol", "Amanda", "Melissa", "Deborah", "Stephanie", "Rebecca", "Sharon", "Laura", "Cynthia", "Amy",
	"Olivia", "Emma", "Sophia", "Isabella", "Mia", "Ava", "Maria", "Ana", "Grace", "Chloe",
}

var maleNames = []string{
	"James", "Robert", "John", "Michael", "David", "William", "Richard", "Joseph", "Thomas", "Christopher",
	"Charles", "Daniel", "Matthew", "Anthony", "Mark", "Donald", "Steven", "Andrew", "Paul", "Joshua",
	"Kenneth", "Kevin", "Brian", "George", "Timothy", "Ronald", "Jason", "Edward", "Jeffrey", "Ryan",
	"Liam", "Noah", "Ethan", "Lucas", "Mason", "Logan", "Jose", "Luis", "Carlos", "Tyler",
}

var otherNames = []string{"Alex", "Jordan", "Taylor", "Casey", "Riley", "Morgan", "Jamie", "Avery", "Quinn", "Rowan"}

var lastNames = []string{
	"smith", "johnson", "williams", "brown", "jones", "garcia", "miller", "davis", "rodriguez", "martinez",
	"hernandez", "lopez", "gonzalez", "wilson", "anderson", "thomas", "taylor", "moore", "jackson", "martin",
	"lee", "perez", "thompson", "white", "harris", "sanchez", "clark", "ramirez", "lewis", "robinson",
	"walker", "young", "allen", "king", "wright", "scott", "torres", "nguyen", "hill", "flores",
}

var emailDomains = []weightedValue{
	{"gmail.com", 46}, {"yahoo.com", 14}, {"hotmail.com", 9}, {"outlook.com", 8}, {"icloud.com", 9},
	{"aol.com", 4}, {"comcast.net", 3}, {"msn.com", 2}, {"protonmail.com", 2}, {"live.com", 3},
}

// Demographic brackets, in ascending order.
var ageRanges = []string{"18-24", "25-34", "35-44", "45-54", "55-64", "65+"}

// ageBounds[i] is the inclusive [low, high] age of ageRanges[i].
var ageBounds = [][2]int{{18, 24}, {25, 34}, {35, 44}, {45, 54}, {55, 64}, {65, 84}}

var incomeRanges = []string{
	"$0-$49,999", "$50,000-$74,999", "$75,000-$99,999", "$100,000-$149,999", "$150,000-$249,999", "$250,000+",
}

var netWorths = []string{
	"Less than $50,000", "$50,000-$99,999", "$100,000-$249,999", "$250,000-$499,999", "$500,000-$999,999", "$1,000,000+",
}

var creditRatings = []string{"Excellent", "Very Good", "Good", "Fair", "Poor"}

// Shares per age bracket (rows follow ageRanges).
var (
	buyerAgeWeights   = []float64{10, 22, 22, 19, 15, 12}
	visitorAgeWeights = []float64{17, 26, 20, 15, 12, 10}
	// incomeWeights[age bracket][income bracket]
	incomeWeights = [][]float64{
		{52, 24, 12, 8, 3, 1},
		{30, 24, 18, 17, 8, 3},
		{20, 19, 18, 22, 14, 7},
		{18, 17, 17, 22, 16, 10},
		{22, 18, 17, 20, 14, 9},
		{34, 22, 16, 14, 9, 5},
	}
	ownHomeShare  = []float64{0.12, 0.40, 0.60, 0.70, 0.76, 0.80}
	marriedShare  = []float64{0.10, 0.42, 0.60, 0.62, 0.60, 0.52}
	childrenShare = []float64{0.08, 0.45, 0.70, 0.55, 0.20, 0.05} // children at home, if married
)
