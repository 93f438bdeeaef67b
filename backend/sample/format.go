package sample

import "strconv"

// appendUint appends v in decimal.
func appendUint(b []byte, v uint64) []byte {
	return strconv.AppendUint(b, v, 10)
}

// appendPadded appends v in decimal, zero-padded to width digits.
func appendPadded(b []byte, v uint64, width int) []byte {
	var digits [20]byte
	d := strconv.AppendUint(digits[:0], v, 10)
	for i := len(d); i < width; i++ {
		b = append(b, '0')
	}
	return append(b, d...)
}

// appendClock appends " HH:MM:SS" for a second of the day.
func appendClock(b []byte, second int) []byte {
	b = append(b, ' ')
	b = appendPadded(b, uint64(second/3600), 2)
	b = append(b, ':')
	b = appendPadded(b, uint64(second/60%60), 2)
	b = append(b, ':')
	return appendPadded(b, uint64(second%60), 2)
}

// appendCurrency appends cents as "$1,234.50".
func appendCurrency(b []byte, cents int64) []byte {
	if cents < 0 {
		b = append(b, '-')
		cents = -cents
	}
	b = append(b, '$')
	b = appendThousands(b, uint64(cents/100))
	b = append(b, '.')
	return appendPadded(b, uint64(cents%100), 2)
}

// appendThousands appends v with a comma every three digits.
func appendThousands(b []byte, v uint64) []byte {
	var digits [20]byte
	d := strconv.AppendUint(digits[:0], v, 10)
	for i, c := range d {
		if i > 0 && (len(d)-i)%3 == 0 {
			b = append(b, ',')
		}
		b = append(b, c)
	}
	return b
}
