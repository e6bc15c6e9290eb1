package alarm

import (
	"fmt"
	"sort"
	"strings"
	"time"
)

// MaxListed is how many conditions a catch-up's log line and journal
// record name one by one (Digest); the rest are counted. A seek over a
// day of 100,000 EVs misses tens of thousands of comm_lost conditions,
// and naming each made one log line of about 7 MB and a journal record
// as large, which `v2gdesk audit` then had to read as one line.
const MaxListed = 20

// Digest is a catch-up's missed conditions worded for a log line or a
// journal record, in a size that does not grow with the fleet.
type Digest struct {
	// Counts is the number of conditions per kind, by kind name:
	// "comm_lost 3062, loading 3".
	Counts string
	// Listed names the first MaxListed conditions (by start time, as in
	// Missed) with their severity, span in loc and figure, then "and N
	// more" when there are more: "loading/F07 HIGH 14:20..14:40 115;
	// comm_lost/CP-0001 HIGH 14:21..14:30 0; and 3064 more".
	Listed string
	// More is how many conditions Listed leaves out.
	More int
}

// Digest words c's missed conditions, their times in loc (nil: each in
// its own), naming at most max of them (MaxListed when max <= 0).
func (c CatchUp) Digest(loc *time.Location, max int) Digest {
	if max <= 0 {
		max = MaxListed
	}
	n := map[Kind]int{}
	for _, m := range c.Missed {
		n[m.Kind]++
	}
	kinds := make([]string, 0, len(n))
	for k := range n {
		kinds = append(kinds, string(k))
	}
	sort.Strings(kinds)
	counts := make([]string, len(kinds))
	for i, k := range kinds {
		counts[i] = fmt.Sprintf("%s %d", k, n[Kind(k)])
	}
	shown := min(len(c.Missed), max)
	items := make([]string, 0, shown+1)
	for _, m := range c.Missed[:shown] {
		first, last := m.First, m.Last
		if loc != nil {
			first, last = first.In(loc), last.In(loc)
		}
		items = append(items, fmt.Sprintf("%s/%s %s %s..%s %.0f", m.Kind, m.Source, m.Severity,
			first.Format("15:04"), last.Format("15:04"), m.Value))
	}
	d := Digest{Counts: strings.Join(counts, ", "), More: len(c.Missed) - shown}
	if d.More > 0 {
		items = append(items, fmt.Sprintf("and %d more", d.More))
	}
	d.Listed = strings.Join(items, "; ")
	return d
}
