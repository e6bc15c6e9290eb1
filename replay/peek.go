package replay

import (
	"encoding/json"
	"time"

	"github.com/v2gdesk/v2gdesk/feeds"
)

// peeked is the little the recorder and the index need to know of a frame:
// never validated further here, because the sink does that.
type peeked struct {
	Type    feeds.FrameType   `json:"type"`
	ID      string            `json:"id"`
	TS      *time.Time        `json:"ts"`
	Mode    string            `json:"mode"`
	Site    string            `json:"site"`
	TZ      string            `json:"tz"`
	Frames  []json.RawMessage `json:"frames"`
	Feeder  string            `json:"feeder"`
	Charger string            `json:"charger"`
}

// peek decodes the routing fields of raw; ok is false when raw is not a JSON
// object with those fields of the right types.
func peek(raw []byte) (p peeked, ok bool) {
	if err := json.Unmarshal(raw, &p); err != nil {
		return peeked{}, false
	}
	return p, true
}

// latestTS returns the frame's time: its ts, or for a batch the latest ts of
// its members; ok is false when it carries none.
func (p peeked) latestTS() (time.Time, bool) {
	if p.TS != nil && !p.TS.IsZero() {
		return *p.TS, true
	}
	var best time.Time
	found := false
	for _, m := range p.Frames {
		q, ok := peek(m)
		if !ok || q.TS == nil || q.TS.IsZero() {
			continue
		}
		if !found || q.TS.After(best) {
			best, found = *q.TS, true
		}
	}
	return best, found
}
