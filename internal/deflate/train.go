package deflate

// Train returns code lengths fitted to corpus as Zlib encodes each of its streams:
// the Huffman lengths of the symbols written, over three rounds starting from a code
// of equal frequencies, since the parse's choice of matches depends on the code.
// Every symbol counts at least once, so that any bytes encode.
func Train(corpus [][]byte) (lit [NumLit]uint8, dist [NumDist]uint8, err error) {
	var freq [NumLit + NumDist]uint32
	for round := range 4 {
		for i := range freq {
			freq[i]++
		}
		lit = [NumLit]uint8(HuffLengths(freq[:NumLit], MaxBits))
		dist = [NumDist]uint8(HuffLengths(freq[NumLit:], MaxBits))
		if round == 3 {
			break
		}
		c, err := NewCode(lit, dist)
		if err != nil {
			return lit, dist, err
		}
		clear(freq[:])
		m := &matcher{freq: &freq}
		for _, s := range corpus {
			m.encode(nil, c, s, true)
		}
	}
	return lit, dist, nil
}
