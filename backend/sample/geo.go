package sample

// stateSpec is a US state with its 2020 census population (thousands) and a
// few of its larger cities, each with the first ZIP code of its range.
type stateSpec struct {
	name       string
	population float64
	cities     []citySpec
}

type citySpec struct {
	name string
	zip  int // first ZIP code; generated ZIPs are zip..zip+zipSpread-1
}

// zipSpread is how many consecutive ZIP codes a city draws from.
const zipSpread = 20

var states = []stateSpec{
	{"Alabama", 5024, []citySpec{{"Birmingham", 35203}, {"Montgomery", 36104}, {"Huntsville", 35801}}},
	{"Alaska", 733, []citySpec{{"Anchorage", 99501}, {"Fairbanks", 99701}}},
	{"Arizona", 7152, []citySpec{{"Phoenix", 85003}, {"Tucson", 85701}, {"Mesa", 85201}, {"Scottsdale", 85250}}},
	{"Arkansas", 3012, []citySpec{{"Little Rock", 72201}, {"Fayetteville", 72701}}},
	{"California", 39538, []citySpec{{"Los Angeles", 90001}, {"San Diego", 92101}, {"San Jose", 95110}, {"San Francisco", 94102}, {"Sacramento", 95814}, {"Fresno", 93701}}},
	{"Colorado", 5774, []citySpec{{"Denver", 80202}, {"Colorado Springs", 80903}, {"Boulder", 80301}}},
	{"Connecticut", 3606, []citySpec{{"Hartford", 6103}, {"New Haven", 6510}, {"Stamford", 6901}}},
	{"Delaware", 990, []citySpec{{"Wilmington", 19801}, {"Dover", 19901}}},
	{"District of Columbia", 690, []citySpec{{"Washington", 20001}}},
	{"Florida", 21538, []citySpec{{"Miami", 33125}, {"Orlando", 32801}, {"Tampa", 33602}, {"Jacksonville", 32202}}},
	{"Georgia", 10712, []citySpec{{"Atlanta", 30303}, {"Savannah", 31401}, {"Augusta", 30901}}},
	{"Hawaii", 1455, []citySpec{{"Honolulu", 96813}, {"Hilo", 96720}}},
	{"Idaho", 1839, []citySpec{{"Boise", 83702}, {"Idaho Falls", 83401}}},
	{"Illinois", 12813, []citySpec{{"Chicago", 60601}, {"Naperville", 60540}, {"Springfield", 62701}}},
	{"Indiana", 6786, []citySpec{{"Indianapolis", 46204}, {"Fort Wayne", 46802}}},
	{"Iowa", 3190, []citySpec{{"Des Moines", 50309}, {"Cedar Rapids", 52401}}},
	{"Kansas", 2938, []citySpec{{"Wichita", 67202}, {"Overland Park", 66204}}},
	{"Kentucky", 4506, []citySpec{{"Louisville", 40202}, {"Lexington", 40502}}},
	{"Louisiana", 4658, []citySpec{{"New Orleans", 70112}, {"Baton Rouge", 70801}}},
	{"Maine", 1362, []citySpec{{"Portland", 4101}, {"Bangor", 4401}}},
	{"Maryland", 6177, []citySpec{{"Baltimore", 21201}, {"Columbia", 21044}}},
	{"Massachusetts", 7030, []citySpec{{"Boston", 2108}, {"Worcester", 1601}, {"Cambridge", 2138}}},
	{"Michigan", 10077, []citySpec{{"Detroit", 48201}, {"Grand Rapids", 49503}, {"Ann Arbor", 48103}}},
	{"Minnesota", 5706, []citySpec{{"Minneapolis", 55401}, {"Saint Paul", 55101}}},
	{"Mississippi", 2961, []citySpec{{"Jackson", 39201}, {"Gulfport", 39501}}},
	{"Missouri", 6155, []citySpec{{"Kansas City", 64105}, {"St. Louis", 63101}}},
	{"Montana", 1084, []citySpec{{"Billings", 59101}, {"Missoula", 59801}}},
	{"Nebraska", 1962, []citySpec{{"Omaha", 68102}, {"Lincoln", 68508}}},
	{"Nevada", 3105, []citySpec{{"Las Vegas", 89101}, {"Reno", 89501}}},
	{"New Hampshire", 1378, []citySpec{{"Manchester", 3101}, {"Nashua", 3060}}},
	{"New Jersey", 9289, []citySpec{{"Newark", 7102}, {"Jersey City", 7302}, {"Princeton", 8540}}},
	{"New Mexico", 2118, []citySpec{{"Albuquerque", 87102}, {"Santa Fe", 87501}}},
	{"New York", 20201, []citySpec{{"New York", 10001}, {"Brooklyn", 11201}, {"Buffalo", 14201}, {"Rochester", 14604}}},
	{"North Carolina", 10439, []citySpec{{"Charlotte", 28202}, {"Raleigh", 27601}, {"Durham", 27701}}},
	{"North Dakota", 779, []citySpec{{"Fargo", 58102}, {"Bismarck", 58501}}},
	{"Ohio", 11799, []citySpec{{"Columbus", 43215}, {"Cleveland", 44113}, {"Cincinnati", 45202}}},
	{"Oklahoma", 3959, []citySpec{{"Oklahoma City", 73102}, {"Tulsa", 74103}}},
	{"Oregon", 4237, []citySpec{{"Portland", 97201}, {"Eugene", 97401}}},
	{"Pennsylvania", 13002, []citySpec{{"Philadelphia", 19102}, {"Pittsburgh", 15222}, {"Allentown", 18101}}},
	{"Rhode Island", 1097, []citySpec{{"Providence", 2903}, {"Warwick", 2886}}},
	{"South Carolina", 5118, []citySpec{{"Charleston", 29401}, {"Columbia", 29201}}},
	{"South Dakota", 887, []citySpec{{"Sioux Falls", 57104}, {"Rapid City", 57701}}},
	{"Tennessee", 6910, []citySpec{{"Nashville", 37203}, {"Memphis", 38103}, {"Knoxville", 37902}}},
	{"Texas", 29145, []citySpec{{"Houston", 77002}, {"Dallas", 75201}, {"Austin", 78701}, {"San Antonio", 78205}, {"Fort Worth", 76102}}},
	{"Utah", 3271, []citySpec{{"Salt Lake City", 84101}, {"Provo", 84601}}},
	{"Vermont", 643, []citySpec{{"Burlington", 5401}, {"Montpelier", 5602}}},
	{"Virginia", 8631, []citySpec{{"Virginia Beach", 23451}, {"Richmond", 23219}, {"Arlington", 22201}}},
	{"Washington", 7705, []citySpec{{"Seattle", 98101}, {"Spokane", 99201}, {"Tacoma", 98402}}},
	{"West Virginia", 1794, []citySpec{{"Charleston", 25301}, {"Morgantown", 26501}}},
	{"Wisconsin", 5894, []citySpec{{"Milwaukee", 53202}, {"Madison", 53703}}},
	{"Wyoming", 577, []citySpec{{"Cheyenne", 82001}, {"Casper", 82601}}},
}

// StateNames lists every state the generator can emit (50 states and DC).
func StateNames() []string {
	names := make([]string, len(states))
	for i, s := range states {
		names[i] = s.name
	}
	return names
}
