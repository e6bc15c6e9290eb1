package control

import (
	"context"
	"errors"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/v2gdesk/v2gdesk/adapters"
	"github.com/v2gdesk/v2gdesk/feeds"
)

// TestSeekBackBeforeConfirmationLeavesAnEarlierPass: a replay that loops,
// or a simulated day seeked back to its start, took the clock to before
// the events a dispatcher had confirmed. They stayed as they were: an
// ended one read as today's ENDED with today's window, and one still in
// force was re-planned at the new time and went on sending setpoints into
// a pass of the day nobody had confirmed it in (a hand-back of 22:27
// steered F10 from 00:00 on, plan after plan). Now both are kept, marked
// as of the earlier pass with the seek that left them there; the one in
// force is ended (journalled, its chargers released), and nothing more is
// planned, confirmed or extended for either.
func TestSeekBackBeforeConfirmationLeavesAnEarlierPass(t *testing.T) {
	ctx := context.Background()
	r := newRig(t, func(o *Options) { o.HandBack = -1 })
	r.c.Step(ctx) // 18:00: the clock the controller last saw
	running := r.confirmed(t, capF1("", 120))
	short := feeds.EventFrame{Kind: feeds.EventImportCap, Scope: "F2", Start: t0, End: t0.Add(30 * time.Minute), KW: 150}
	over := r.confirmed(t, short)
	r.site.report(40 * time.Minute)
	r.c.Step(ctx) // 18:40: the short event's window is over
	if v, _ := r.c.Event(over); v.State != StateEnded || v.EarlierPass != nil {
		t.Fatalf("%s at 18:40: %s, earlier pass %v; want ended, this pass", over, v.State, v.EarlierPass)
	}
	before, _ := r.c.Event(running)
	if before.State != StateActive {
		t.Fatalf("%s at 18:40: %s, want active", running, before.State)
	}

	// The day starts over at 17:50, before either was confirmed.
	r.site.fl.HandleLink(feeds.LinkEvent{Up: true, Reset: true})
	r.site.report(-50 * time.Minute)
	sent := r.snd.count()
	r.c.Step(ctx)

	from, to := t0.Add(40*time.Minute), t0.Add(-10*time.Minute)
	for _, id := range []string{running, over} {
		v, ok := r.c.Event(id)
		if !ok {
			t.Fatalf("%s forgotten at the seek back: its setpoints were sent, it must stay", id)
		}
		if v.EarlierPass == nil || !v.EarlierPass.From.Equal(from) || !v.EarlierPass.To.Equal(to) || v.EarlierPass.Resets != 1 {
			t.Errorf("%s: earlier pass %+v, want the seek back from 18:40 to 17:50", id, v.EarlierPass)
		}
		if v.State != StateEnded {
			t.Errorf("%s after the seek back: %s, want ended", id, v.State)
		}
	}
	v, _ := r.c.Event(running)
	const why = "the clock went back from 02-04 18:40 to 02-04 17:50, before its confirmation: an earlier pass of the day, not planned again"
	if v.EndWhy.Kind != WhyEarlierPass || v.Reason != why {
		t.Errorf("%s ended %s: %q, want %q", running, v.EndWhy.Kind, v.Reason, why)
	}
	if v.Plans != before.Plans {
		t.Errorf("%s planned %d times after the seek back, want none", running, v.Plans-before.Plans)
	}
	if len(r.snd.released) == 0 {
		t.Errorf("%s ended without releasing its chargers", running)
	}
	found := false
	r.j.mu.Lock()
	recs := append([]adapters.Record(nil), r.j.recs...)
	r.j.mu.Unlock()
	for _, rec := range recs {
		if rec.Kind == RecDispatchEnd && rec.Event == running && rec.Reason == why {
			found = true
		}
	}
	if !found {
		t.Errorf("no dispatch_end of %s with %q in the journal: %v", running, why, r.j.kinds())
	}

	// The new pass runs on: nothing of the earlier one is planned, and
	// no action brings it back.
	r.site.report(30 * time.Minute)
	r.c.Step(ctx)
	if n := r.snd.count(); n != sent {
		t.Errorf("%d setpoints sent after the seek back, want none", n-sent)
	}
	for _, id := range []string{running, over} {
		if _, err := r.c.Preview(ctx, id); !errors.Is(err, ErrState) {
			t.Errorf("preview %s: %v, want refused by its state", id, err)
		}
		if err := r.c.Confirm(ctx, id, ana, ConfirmOptions{}); !errors.Is(err, ErrState) {
			t.Errorf("confirm %s: %v, want refused by its state", id, err)
		}
		if _, err := r.c.Extend(id, ana, time.Hour, ""); err == nil {
			t.Errorf("extend %s: accepted", id)
		}
	}
	// Listed after this pass's events.
	own, err := r.c.Propose(capF1("", 110), OriginOperator, ana)
	if err != nil {
		t.Fatal(err)
	}
	evs := r.c.Events()
	if len(evs) != 3 || evs[0].Event.ID != own || evs[1].EarlierPass == nil || evs[2].EarlierPass == nil {
		var ids []string
		for _, e := range evs {
			ids = append(ids, e.Event.ID+" "+string(e.State))
		}
		t.Errorf("events %s; want %s first, then the earlier pass's", strings.Join(ids, ", "), own)
	}
}

// TestEarlierPassesListedLatestFirst: a day started over three times
// lists the events of the pass it left last first, whatever time they
// ended at in their pass.
func TestEarlierPassesListedLatestFirst(t *testing.T) {
	c := newRig(t, nil).c
	c.mu.Lock()
	for i, end := range []time.Duration{4 * time.Hour, 5 * time.Hour, time.Hour} {
		id := "OP-" + strconv.Itoa(i+1)
		c.addLocked(&entry{ev: feeds.EventFrame{ID: id}, state: StateEnded, ended: t0.Add(end), pass: &EarlierPass{Resets: uint64(i + 1)}})
	}
	c.mu.Unlock()
	var ids []string
	for _, v := range c.Events() {
		ids = append(ids, v.Event.ID)
	}
	if got := strings.Join(ids, " "); got != "OP-3 OP-2 OP-1" {
		t.Errorf("events %s, want OP-3 OP-2 OP-1: the pass left last first", got)
	}
}

// TestEarlierPassesKeptAreBounded: a replay looping all night leaves its
// confirmed events behind at every pass, and the clock never gets a day
// past them; the screens keep the latest maxEarlierPass of them.
func TestEarlierPassesKeptAreBounded(t *testing.T) {
	c := newRig(t, nil).c
	c.mu.Lock()
	defer c.mu.Unlock()
	pass := &EarlierPass{}
	for i := range maxEarlierPass + 3 {
		id := "OP-" + strings.Repeat("x", i+1)
		c.addLocked(&entry{ev: feeds.EventFrame{ID: id}, state: StateEnded, pass: pass})
	}
	c.addLocked(&entry{ev: feeds.EventFrame{ID: "NOW"}, state: StateEnded})
	c.trimEarlierPassLocked()
	if len(c.order) != maxEarlierPass+1 || c.order[0] != "OP-xxxx" || c.order[len(c.order)-1] != "NOW" {
		t.Errorf("kept %d events from %s to %s; want %d, the 3 oldest of the earlier passes gone, this pass's kept",
			len(c.order), c.order[0], c.order[len(c.order)-1], maxEarlierPass+1)
	}
	if _, ok := c.events["OP-x"]; ok {
		t.Error("the oldest earlier pass's event is still kept")
	}
}
