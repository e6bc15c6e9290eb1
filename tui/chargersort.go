package tui

import "sort"

// Sort orders of a feeder page's charger list (s cycles through them, r
// reverses). The page opens on chargerSortKW, descending: an operator who
// drills into an overloaded feeder asks which chargers drive its load, and
// in charger-id order those were somewhere among hundreds of idle ones
// (at 80x24 the six rows shown were all "available 0.0").
const (
	chargerSortID = iota
	chargerSortKW
	numChargerSorts
)

// Columns of the feeder page's charger table (chargerColumns without the
// feeder column) that show a sort order.
const (
	ccID = 0
	ccKW = 2
)

// chargerSortCol maps a charger sort order to the feeder page's column
// whose title carries the arrow.
var chargerSortCol = [numChargerSorts]int{ccID, ccKW}

// sortedByKW reports whether page p lists its chargers by power rather
// than in topology order.
func sortedByKW(p *page) bool {
	return p.kind == pageFeeder && p.sortCol == chargerSortKW
}

// sortChargersByKW orders idx (indices into the snapshot's topology order)
// by each charger's power, the largest first when desc, ties in topology
// order so equal rows keep still as the figures refresh. A charger not yet
// heard from counts as 0 kW, as its "—" means no load.
func (m *Model) sortChargersByKW(idx []int, desc bool) {
	kw := make([]float64, len(idx))
	for r, i := range idx {
		if c := m.snap.ChargerAt(i); c.Seen {
			kw[r] = c.Last.KW
		}
	}
	sort.Sort(byKW{idx: idx, kw: kw, desc: desc})
}

// byKW sorts charger indices by their power, keeping idx and kw in step.
type byKW struct {
	idx  []int
	kw   []float64
	desc bool
}

func (s byKW) Len() int { return len(s.idx) }

func (s byKW) Swap(a, b int) {
	s.idx[a], s.idx[b] = s.idx[b], s.idx[a]
	s.kw[a], s.kw[b] = s.kw[b], s.kw[a]
}

func (s byKW) Less(a, b int) bool {
	if s.kw[a] != s.kw[b] {
		if s.desc {
			return s.kw[a] > s.kw[b]
		}
		return s.kw[a] < s.kw[b]
	}
	return s.idx[a] < s.idx[b]
}

// chargerSortArrow marks the feeder page's sorted column in cols (the
// table's columns before layout): "kW ▼" while it lists the biggest loads
// first, "charger ▼" for ids in reverse, nothing in plain id order (as the
// feeder tables show none in topology order).
func chargerSortArrow(p *page, cols []column) {
	if p.kind != pageFeeder || (p.sortCol == chargerSortID && !p.desc) {
		return
	}
	j := chargerSortCol[p.sortCol]
	if j >= len(cols) {
		return
	}
	if p.desc {
		cols[j].title += " ▼"
	} else {
		cols[j].title += " ▲"
	}
}
