package dispatch

// pathAt returns the JSON path ("evs[1].max_charge_kw") of the value of
// data at byte offset off, where the json package puts a type error: the
// end of a number, string or literal, or just past the opening bracket of
// an object or array. Its error names the field by the Go struct path
// ("evs.max_charge_kw"), which does not say which of a thousand EVs it is.
// ok is false when data does not scan up to off.
//
// It reads data in place: a json.Decoder's tokens, with a path made for
// every element on the way, took seconds and hundreds of MB to name the
// last EV of a 100 MB file.
func pathAt(data []byte, off int64) (path string, ok bool) {
	s := &keyScanner{data: data}
	s.space()
	return s.pathTo(off)
}

// pathTo reads one value and returns the path of the first value in it
// that reaches off: a scalar that ends there or after, a container whose
// opening bracket does (found false when the whole value lies before off).
func (s *keyScanner) pathTo(off int64) (string, bool) {
	if s.pos >= len(s.data) || len(s.path) > maxScanDepth {
		s.pos = len(s.data)
		return "", false
	}
	switch s.data[s.pos] {
	case '{':
		s.pos++
		if int64(s.pos) >= off {
			return s.pathString(), true
		}
		for s.space(); s.pos < len(s.data) && s.data[s.pos] != '}'; s.space() {
			key, ok := s.key()
			if !ok {
				return "", false
			}
			s.space()
			s.pos++ // :
			s.space()
			s.path = append(s.path, pathPart{key: key})
			p, found := s.pathTo(off)
			s.path = s.path[:len(s.path)-1]
			if found {
				return p, true
			}
			s.space()
			if s.pos < len(s.data) && s.data[s.pos] == ',' {
				s.pos++
			}
		}
		s.pos++ // }
		return "", false
	case '[':
		s.pos++
		if int64(s.pos) >= off {
			return s.pathString(), true
		}
		for i := 0; ; i++ {
			s.space()
			if s.pos >= len(s.data) || s.data[s.pos] == ']' {
				break
			}
			s.path = append(s.path, pathPart{index: i})
			p, found := s.pathTo(off)
			s.path = s.path[:len(s.path)-1]
			if found {
				return p, true
			}
			s.space()
			if s.pos < len(s.data) && s.data[s.pos] == ',' {
				s.pos++
			}
		}
		s.pos++ // ]
		return "", false
	case '"':
		s.str()
	default:
		s.literal()
	}
	if int64(s.pos) < off {
		return "", false // the path is made only for the value found
	}
	return s.pathString(), true
}
