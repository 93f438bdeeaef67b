package assistant

import (
	"regexp"
	"strconv"
	"strings"
)

// token is one word of a question. used marks words the planner has
// explained; any word left unexplained makes the offline planner refuse
// rather than guess.
type token struct {
	orig string // as written (case matters for "IN" vs "in")
	low  string
	used bool
}

type tokens []token

var wordRE = regexp.MustCompile(`[A-Za-z0-9][A-Za-z0-9\-+.']*|\$[0-9][0-9.,]*[kK]?`)

var numberWords = map[string]string{"one": "1", "two": "2", "three": "3", "four": "4", "five": "5", "six": "6",
	"seven": "7", "eight": "8", "nine": "9", "ten": "10", "twelve": "12", "fifteen": "15", "twenty": "20"}

func tokenize(q string) tokens {
	var ts tokens
	for _, w := range wordRE.FindAllString(q, -1) {
		w = strings.TrimRight(w, ".'")
		w = strings.TrimSuffix(strings.TrimSuffix(w, "'s"), "’s")
		if w == "" {
			continue
		}
		low := strings.ToLower(w)
		if n, ok := numberWords[low]; ok {
			low = n
		}
		low = normalizeNumber(low)
		ts = append(ts, token{orig: w, low: low})
	}
	return ts
}

// normalizeNumber turns "$1,200", "1.5k" and "100k" into plain numbers.
func normalizeNumber(s string) string {
	t := strings.ReplaceAll(strings.TrimPrefix(s, "$"), ",", "")
	mult := 1.0
	if strings.HasSuffix(t, "k") {
		t, mult = strings.TrimSuffix(t, "k"), 1000
	}
	f, err := strconv.ParseFloat(t, 64)
	if err != nil || t == "" {
		return s
	}
	return strconv.FormatFloat(f*mult, 'f', -1, 64)
}

func isNumber(s string) bool {
	_, err := strconv.ParseFloat(s, 64)
	return err == nil
}

// at reports whether the unused words starting at i are exactly phrase
// ("#" matches any number).
func (ts tokens) at(i int, phrase ...string) bool {
	if i < 0 || i+len(phrase) > len(ts) {
		return false
	}
	for j, p := range phrase {
		t := ts[i+j]
		if t.used || !(t.low == p || (p == "#" && isNumber(t.low))) {
			return false
		}
	}
	return true
}

// find returns the first index where phrase starts, or -1.
func (ts tokens) find(phrase ...string) int {
	for i := range ts {
		if ts.at(i, phrase...) {
			return i
		}
	}
	return -1
}

// take marks n words from i as explained.
func (ts tokens) take(i, n int) {
	for j := i; j < i+n && j < len(ts); j++ {
		ts[j].used = true
	}
}

// findAny returns the first of phrases found (each space-separated) as index and length.
func (ts tokens) findAny(phrases ...string) (int, int) {
	for _, p := range phrases {
		words := strings.Fields(p)
		if i := ts.find(words...); i >= 0 {
			return i, len(words)
		}
	}
	return -1, 0
}

// takeAny removes the first of phrases found and reports whether one was.
func (ts tokens) takeAny(phrases ...string) bool {
	i, n := ts.findAny(phrases...)
	if i < 0 {
		return false
	}
	ts.take(i, n)
	return true
}

func (ts tokens) phrase(i, n int) (orig, low string) {
	var o, l []string
	for j := i; j < i+n; j++ {
		o, l = append(o, ts[j].orig), append(l, ts[j].low)
	}
	return strings.Join(o, " "), strings.Join(l, " ")
}

func (ts tokens) free(i, n int) bool {
	if i < 0 || i+n > len(ts) {
		return false
	}
	for j := i; j < i+n; j++ {
		if ts[j].used {
			return false
		}
	}
	return true
}

// leftovers lists the words nobody explained (stop words aside).
func (ts tokens) leftovers() []string {
	var out []string
	for _, t := range ts {
		if !t.used && !stopWords[t.low] {
			out = append(out, t.orig)
		}
	}
	return out
}

var stopWords = set(`the a an of in on at to for from with what what's whats is are was were show me give list
	tell how much did do does we our us i please and vs versus compared against get got there have has had be been
	it its this that these those my as all which who whose were can could would you your see look looking broken
	down up into out split breakdown distribution mix within among across each per by during overall total number
	amount our' let let's lets know find display chart graph table plot report summary summarize between than some
	any just only value values figure figures data dataset rows' so far much many brought bring brings drove drive
	drives driven generated generate generates produced produce came come comes placed place places compare comparing
	comparison aged olds old`)

func set(words string) map[string]bool {
	m := map[string]bool{}
	for _, w := range strings.Fields(words) {
		m[w] = true
	}
	return m
}
