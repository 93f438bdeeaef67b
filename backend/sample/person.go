package sample

import "math/rand/v2"

// person is everything the generator knows about one customer or visitor;
// it depends only on (seed, id), so repeat rows for an id agree.
type person struct {
	firstName, gender, state, city       string
	email                                []byte // empty for anonymous visitors
	age, ageBracket, income, netWorth    int
	credit                               int
	zip                                  int
	ownsHome, married, children, hasMail bool
}

// people draws persons. It owns a PCG that is reseeded for every id.
type people struct {
	seed     uint64
	src      rand.PCG
	r        *rand.Rand
	ages     choice
	incomes  []choice
	genders  choice
	domains  choice
	stateIdx choice
	mailRate float64
}

func newPeople(seed int64, ageWeights []float64, mailRate float64) *people {
	p := &people{seed: uint64(seed), mailRate: mailRate}
	p.r = rand.New(&p.src)
	p.ages = choice{values: ageRanges, slots: buildSlots(ageWeights)}
	for _, w := range incomeWeights {
		p.incomes = append(p.incomes, choice{values: incomeRanges, slots: buildSlots(w)})
	}
	p.genders = newChoice(genders)
	p.domains = newChoice(emailDomains)
	pop := make([]float64, len(states))
	for i, s := range states {
		pop[i] = s.population
	}
	p.stateIdx = choice{values: StateNames(), slots: buildSlots(pop)}
	return p
}

// splitmix64 scrambles an id so neighbouring ids get unrelated streams.
func splitmix64(x uint64) uint64 {
	x += 0x9e3779b97f4a7c15
	x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9
	x = (x ^ (x >> 27)) * 0x94d049bb133111eb
	return x ^ (x >> 31)
}

// fill overwrites dst with person id (dst.email's storage is reused).
func (p *people) fill(dst *person, id uint64) {
	p.src.Seed(splitmix64(p.seed^splitmix64(id)), splitmix64(id+p.seed))
	r := p.r
	dst.gender = p.genders.pick(r)
	dst.firstName = firstName(r, dst.gender)
	p.fillAge(dst)
	p.fillWealth(dst)
	s := &states[p.stateIdx.index(r)]
	c := &s.cities[r.IntN(len(s.cities))]
	dst.state, dst.city, dst.zip = s.name, c.name, c.zip+r.IntN(zipSpread)
	dst.hasMail = chance(r, p.mailRate)
	dst.email = dst.email[:0]
	if dst.hasMail {
		dst.email = p.appendEmail(dst.email, dst.firstName, id)
	}
}

func firstName(r *rand.Rand, gender string) string {
	switch gender {
	case "Female":
		return femaleNames[r.IntN(len(femaleNames))]
	case "Male":
		return maleNames[r.IntN(len(maleNames))]
	}
	return otherNames[r.IntN(len(otherNames))]
}

func (p *people) fillAge(dst *person) {
	r := p.r
	dst.ageBracket = p.ages.index(r)
	b := ageBounds[dst.ageBracket]
	dst.age = b[0] + r.IntN(b[1]-b[0]+1)
	dst.ownsHome = chance(r, ownHomeShare[dst.ageBracket])
	dst.married = chance(r, marriedShare[dst.ageBracket])
	kids := childrenShare[dst.ageBracket]
	if !dst.married {
		kids /= 3
	}
	dst.children = chance(r, kids)
}

// fillWealth: income follows age; net worth and credit follow income.
func (p *people) fillWealth(dst *person) {
	r := p.r
	dst.income = p.incomes[dst.ageBracket].index(r)
	nw := dst.income + r.IntN(3) - 1
	if dst.ageBracket >= 4 {
		nw++
	}
	if dst.ownsHome {
		nw++
	}
	dst.netWorth = clamp(nw-1, 0, len(netWorths)-1)
	credit := 2 - dst.income/2 + r.IntN(3) - 1
	if r.IntN(8) == 0 {
		credit += 2
	}
	dst.credit = clamp(credit, 0, len(creditRatings)-1)
}

func clamp(v, low, high int) int {
	return min(max(v, low), high)
}

// appendEmail writes first.last<id>@domain in lower case.
func (p *people) appendEmail(b []byte, first string, id uint64) []byte {
	for i := 0; i < len(first); i++ {
		c := first[i]
		if 'A' <= c && c <= 'Z' {
			c += 'a' - 'A'
		}
		b = append(b, c)
	}
	b = append(b, '.')
	b = append(b, lastNames[p.r.IntN(len(lastNames))]...)
	b = appendUint(b, id+1)
	b = append(b, '@')
	return append(b, p.domains.pick(p.r)...)
}
