package sshd

import (
	"fmt"
	"math"
	"strings"
	"time"
)

// synthSite is a made-up site for tests and benchmarks: feeders F01.. with
// chargers spread evenly over them. It writes protocol v1 frames.
type synthSite struct {
	feeders, chargers int
}

// hello is the site's topology frame.
func (s synthSite) hello(at time.Time) []byte {
	var b strings.Builder
	fmt.Fprintf(&b, `{"v":1,"type":"hello","site":"Synth Town","tz":"UTC","ts":%q,"mode":"live","system":{"import_limit_kw":%d},"feeders":[`,
		at.Format(time.RFC3339Nano), s.feeders*4000)
	for f := range s.feeders {
		if f > 0 {
			b.WriteByte(',')
		}
		fmt.Fprintf(&b, `{"id":"F%02d","name":"Feeder %d","import_limit_kw":4000}`, f+1, f+1)
	}
	b.WriteString(`],"chargers":[`)
	for c := range s.chargers {
		if c > 0 {
			b.WriteByte(',')
		}
		fmt.Fprintf(&b, `{"id":"CP-%05d","feeder":"F%02d","max_charge_kw":11,"max_discharge_kw":%d}`, c, c%s.feeders+1, 10*(c%2))
	}
	b.WriteString(`]}`)
	return []byte(b.String())
}

// update is one batch: every feeder's load and the chargers from..to's
// state, all stamped at.
func (s synthSite) update(at time.Time, step, from, to int) []byte {
	var b strings.Builder
	ts := at.Format(time.RFC3339Nano)
	b.WriteString(`{"v":1,"type":"batch","frames":[`)
	for f := range s.feeders {
		if f > 0 {
			b.WriteByte(',')
		}
		kw := 3000 + 1200*math.Sin(float64(step)/40+float64(f))
		fmt.Fprintf(&b, `{"v":1,"type":"feeder","id":"F%02d","ts":%q,"kw":%.1f}`, f+1, ts, kw)
	}
	for c := from; c < to; c++ {
		kw, state := 7.4, "charging"
		if (c+step)%7 == 0 {
			kw, state = -6.5, "discharging"
		}
		fmt.Fprintf(&b, `,{"v":1,"type":"charger","id":"CP-%05d","ts":%q,"state":%q,"kw":%.1f,"plugged":true,"soc":%.2f,"battery_kwh":60,"target_soc":0.8}`,
			c, ts, state, kw, 0.3+float64((c+step)%50)/100)
	}
	b.WriteString(`]}`)
	return []byte(b.String())
}
