// Package rag keeps, per workspace, a chromem-go vector collection that
// describes the workspace's datasets to the assistant: column profiles,
// value dictionaries (the distinct values of categorical columns), dataset
// summaries. Retrieval maps a user's words ("NY", "women", "paid search")
// to columns and values, first through exact and synonym tables, then
// through vector similarity.
package rag

import (
	"context"
	"hash/fnv"
	"math"
	"strings"
	"unicode"

	"github.com/philippgille/chromem-go"
)

// LocalDims is the size of the offline embedding vectors.
const LocalDims = 512

// LocalEmbedding embeds text as hashed character bigrams and trigrams of its words in
// a normalized vector. It needs no network, is deterministic and is good
// at what the assistant needs offline: matching spellings and near
// spellings of column names and values ("califronia" ~ "California").
func LocalEmbedding() chromem.EmbeddingFunc {
	return func(_ context.Context, text string) ([]float32, error) {
		return localVector(text), nil
	}
}

func localVector(text string) []float32 {
	v := make([]float32, LocalDims)
	for _, w := range Words(text) {
		padded := []rune(" " + w + " ")
		for n := 2; n <= 3; n++ {
			for i := 0; i+n <= len(padded); i++ {
				v[bucket(string(padded[i:i+n]))]++
			}
		}
		v[bucket("w:"+w)]++ // an exact word counts once more than its pieces
	}
	normalize(v)
	return v
}

func bucket(s string) int {
	h := fnv.New32a()
	h.Write([]byte(s))
	return int(h.Sum32() % LocalDims)
}

func normalize(v []float32) {
	var sum float64
	for _, x := range v {
		sum += float64(x) * float64(x)
	}
	if sum == 0 {
		v[0] = 1 // chromem rejects zero vectors; an empty text matches nothing well
		return
	}
	n := float32(math.Sqrt(sum))
	for i := range v {
		v[i] /= n
	}
}

// Words splits text into lower-case words of letters and digits; it keeps
// '-' and '+' inside words so "25-34" and "100k+" stay whole.
func Words(text string) []string {
	return strings.FieldsFunc(strings.ToLower(text), func(r rune) bool {
		return !(unicode.IsLetter(r) || unicode.IsDigit(r) || r == '-' || r == '+' || r == '$' || r == '.')
	})
}

// Norm is the comparison form of a value or phrase: lower-case words joined by single spaces.
func Norm(s string) string {
	return strings.Join(strings.FieldsFunc(strings.ToLower(s), func(r rune) bool {
		return !(unicode.IsLetter(r) || unicode.IsDigit(r) || r == '-' || r == '+' || r == '$')
	}), " ")
}
