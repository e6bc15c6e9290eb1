package control

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/v2gdesk/v2gdesk/adapters"
	"github.com/v2gdesk/v2gdesk/feeds"
)

// handingBack confirms a cap on F1 from 18:00 to 20:00 and runs the fleet
// clock slot by slot to 20:00, when F1's unmanaged charging (190 kW on its
// 150 kW limit) keeps the event handing back.
func handingBack(t *testing.T, r *rig) string {
	t.Helper()
	id := r.confirmed(t, capF1("DR-1", 120))
	for range 8 {
		r.site.report(15 * time.Minute)
		r.c.Step(context.Background())
	}
	if v, _ := r.c.Event(id); v.HandBackSince.IsZero() || v.State != StateActive {
		t.Fatalf("%s at 20:00: %s, hand-back since %v; want it handing back", id, v.State, v.HandBackSince)
	}
	return id
}

// records returns the journal's records of kind.
func (j *fakeJournal) records(kind adapters.RecordKind) []adapters.Record {
	j.mu.Lock()
	defer j.mu.Unlock()
	var out []adapters.Record
	for _, r := range j.recs {
		if r.Kind == kind {
			out = append(out, r)
		}
	}
	return out
}

// TestReleaseNoticeOnceAtLeadTime: the forced release at the end of the
// 4 h hand-back (00:00) is announced once, from 30 minutes ahead by the
// fleet's clock, on the event's view and in the journal, with the figures
// of the hand-back check.
func TestReleaseNoticeOnceAtLeadTime(t *testing.T) {
	r := newRig(t, nil)
	ctx := context.Background()
	id := handingBack(t, r)
	v, _ := r.c.Event(id)
	if want := v.HandBackSince.Add(4 * time.Hour); !v.ReleaseAt.Equal(want) {
		t.Fatalf("release at %v, want %v: the hand-back's start and 4 h", v.ReleaseAt, want)
	}
	// 20:00 to 23:15: no notice yet.
	for range 13 {
		r.site.report(15 * time.Minute)
		r.c.Step(ctx)
		if v, _ := r.c.Event(id); !v.ReleaseNoticeSince.IsZero() {
			t.Fatalf("notice given at %s, before the lead time (23:30)", r.site.Now().Format("15:04"))
		}
	}
	// 23:25: still not.
	r.site.report(10 * time.Minute)
	r.c.Step(ctx)
	if v, _ := r.c.Event(id); !v.ReleaseNoticeSince.IsZero() {
		t.Fatalf("notice given at 23:25, before the lead time")
	}
	// 23:30: the lead time starts.
	r.site.report(5 * time.Minute)
	r.c.Step(ctx)
	v, _ = r.c.Event(id)
	if got := v.ReleaseNoticeSince.In(t0.Location()).Format("15:04"); got != "23:30" {
		t.Fatalf("notice since %q, want 23:30", got)
	}
	// With the figures of the check made at 23:30, not the one before.
	if v.HandBack.PeakAt.Before(v.ReleaseNoticeSince) {
		t.Errorf("the notice's check found the peak at %s, before the notice (23:30): an old check", v.HandBack.PeakAt.Format("15:04"))
	}
	if recs := r.j.records(RecDispatchReleaseDue); len(recs) != 1 || !strings.Contains(recs[0].Reason, v.HandBack.Why()) {
		t.Errorf("release notices %+v, want one with the check %q", recs, v.HandBack.Why())
	}
	for _, d := range []time.Duration{5 * time.Minute, 10 * time.Minute} { // 23:35, 23:45
		r.site.report(d)
		r.c.Step(ctx)
	}
	recs := r.j.records(RecDispatchReleaseDue)
	if len(recs) != 1 {
		t.Fatalf("%d dispatch_release_due records by 23:45, want 1", len(recs))
	}
	const want = "chargers will be released at 00:00 (the 4 h hand-back limit), though charging would take F1 to 190 kW (126%)"
	if rec := recs[0]; rec.Event != id || !strings.HasPrefix(rec.Reason, want) || !strings.Contains(rec.Detail, "handing back since 20:00") {
		t.Errorf("release notice %+v, want %q for %s", rec, want, id)
	}
	if v, _ := r.c.Event(id); v.HandBack.PeakKW <= v.HandBack.LimitKW || v.HandBack.LimitKW != 150 {
		t.Errorf("hand-back figures %+v: want the peak over the 150 kW limit", v.HandBack)
	}
	r.site.report(15 * time.Minute) // 00:00
	r.c.Step(ctx)
	if v, _ := r.c.Event(id); v.State != StateEnded || !v.ForcedRelease || !v.ReleaseAt.IsZero() {
		t.Fatalf("at 00:00: %s, forced %t, release at %v; want ended by the forced release", v.State, v.ForcedRelease, v.ReleaseAt)
	}
	if n := len(r.j.records(RecDispatchReleaseDue)); n != 1 {
		t.Errorf("%d release notices in all, want 1", n)
	}
}

// TestExtendPushesTheRelease: a dispatcher's extension, journalled first,
// moves the forced release 4 h on; notice is given again ahead of the new
// time, and the release then says 8 h.
func TestExtendPushesTheRelease(t *testing.T) {
	r := newRig(t, nil)
	ctx := context.Background()
	id := handingBack(t, r)
	for range 15 { // 23:45: notice given
		r.site.report(15 * time.Minute)
		r.c.Step(ctx)
	}
	if v, _ := r.c.Event(id); v.ReleaseNoticeSince.IsZero() {
		t.Fatal("no notice by 23:45")
	}
	if _, err := r.c.Extend(id, viewer, 0, ""); !errors.Is(err, ErrNotAllowed) {
		t.Errorf("a viewer's extension: %v, want ErrNotAllowed", err)
	}
	r.j.fail = errors.New("disk full")
	if _, err := r.c.Extend(id, ana, 0, ""); err == nil || !strings.Contains(err.Error(), "disk full") {
		t.Errorf("an extension the journal cannot record: %v, want refused", err)
	}
	r.j.fail = nil
	var tooLong *ExtendTooLongError
	if _, err := r.c.Extend(id, ana, 30*time.Hour, ""); !errors.Is(err, ErrInvalidEvent) || !errors.As(err, &tooLong) || tooLong.Max != 24*time.Hour ||
		err.Error() != `extend "`+id+`" by 30 h: extension too long: at most 24 h at a time` {
		t.Errorf("a 30 h extension: %v, want refused, at most 24 h", err)
	}
	if v, _ := r.c.Event(id); v.Extended != 0 || v.ReleaseAt.In(t0.Location()).Format("15:04") != "00:00" {
		t.Fatalf("refused extensions changed the event: extended %s, release at %v", v.Extended, v.ReleaseAt)
	}
	at, err := r.c.Extend(id, ana, 0, "network control room asked")
	if err != nil {
		t.Fatal(err)
	}
	if got := at.In(t0.Location()).Format("01-02 15:04"); got != "02-05 04:00" {
		t.Errorf("extended to %s, want 02-05 04:00", got)
	}
	v, _ := r.c.Event(id)
	if !v.ReleaseAt.Equal(at) || !v.ReleaseNoticeSince.IsZero() || v.Extended != 4*time.Hour || v.ExtendedBy != "ana" {
		t.Errorf("after the extension: release at %v, notice %v, extended %s by %q; want %v, no notice, 4 h by ana",
			v.ReleaseAt, v.ReleaseNoticeSince, v.Extended, v.ExtendedBy, at)
	}
	ext := r.j.records(RecDispatchExtend)
	if len(ext) != 1 || ext[0].Operator != "ana" || ext[0].Reason != "network control room asked" ||
		!strings.Contains(ext[0].Detail, "hand-back extended by 4 h: chargers will be released at 04:00 at the latest (was 00:00); charging would take F1 to 190 kW") {
		t.Errorf("dispatch_extend records %+v", ext)
	}
	// Past the old limit it goes on handing back.
	for range 2 { // 00:15
		r.site.report(15 * time.Minute)
		r.c.Step(ctx)
	}
	if v, _ := r.c.Event(id); v.State != StateActive || v.ForcedRelease {
		t.Fatalf("at 00:15 after the extension: %s, forced %t; want still handing back", v.State, v.ForcedRelease)
	}
	for range 13 { // 03:30: notice again, once
		r.site.report(15 * time.Minute)
		r.c.Step(ctx)
	}
	if v, _ := r.c.Event(id); v.ReleaseNoticeSince.In(t0.Location()).Format("15:04") != "03:30" {
		t.Errorf("second notice since %v, want 03:30", v.ReleaseNoticeSince)
	}
	for range 2 { // 04:00
		r.site.report(15 * time.Minute)
		r.c.Step(ctx)
	}
	if recs := r.j.records(RecDispatchReleaseDue); len(recs) != 2 || !strings.HasPrefix(recs[1].Reason, "chargers will be released at 04:00 (the 8 h hand-back limit)") {
		t.Errorf("release notices %+v, want a second one for 04:00", recs)
	}
	v, _ = r.c.Event(id)
	if v.State != StateEnded || !v.ForcedRelease || v.EndWhy.Hold != 8*time.Hour ||
		!strings.Contains(v.Reason, "released at the 8 h hand-back limit") {
		t.Errorf("at 04:00: %s, forced %t, why %+v, %q; want the forced release at 8 h", v.State, v.ForcedRelease, v.EndWhy, v.Reason)
	}
	// Final: refused, with the reason, as a *StateError like every other
	// action the event's state refuses (a screen words it from its State).
	_, err = r.c.Extend(id, ana, 0, "")
	var se *StateError
	if !errors.As(err, &se) || se.State != StateEnded || !strings.Contains(err.Error(), "it is ended") {
		t.Errorf("extending an ended event: %v, want a *StateError, it is ended", err)
	}
}

// TestExtendRefused: an event in its window has no hand-back to extend,
// and nothing is extended once the source has ended.
func TestExtendRefused(t *testing.T) {
	r := newRig(t, nil)
	ctx := context.Background()
	running := r.confirmed(t, feeds.EventFrame{ID: "DR-2", Kind: feeds.EventImportCap, Scope: "F2", Start: t0, End: t0.Add(2 * time.Hour), KW: 105})
	if _, err := r.c.Extend(running, ana, 0, ""); !errors.Is(err, ErrNotHandingBack) || !strings.Contains(err.Error(), "its window runs to 20:00") {
		t.Errorf("extending an event in its window: %v, want ErrNotHandingBack naming its end", err)
	}
	if _, err := r.c.Extend("DR-404", ana, 0, ""); !errors.Is(err, ErrUnknownEvent) {
		t.Errorf("extending an unknown event: %v", err)
	}
	id := handingBack(t, r)
	r.site.fl.HandleLink(feeds.LinkEvent{At: r.site.Now(), End: true})
	if _, err := r.c.Extend(id, ana, 0, ""); !errors.Is(err, ErrSourceEnded) {
		t.Errorf("extending after the source ended: %v, want ErrSourceEnded", err)
	}
	r.c.Step(ctx)
	if n := len(r.j.records(RecDispatchExtend)); n != 0 {
		t.Errorf("%d extensions journalled, want none", n)
	}
}

// TestExtendWhileReleasing: an extension asked while the forced release
// lets the chargers go is refused as a *ReleasingError carrying the
// release time and the hand-back's length (a screen words it from them),
// ErrState, in the English the log had before.
func TestExtendWhileReleasing(t *testing.T) {
	r := newRig(t, nil)
	ctx := context.Background()
	id := handingBack(t, r)
	var errs []error
	r.snd.onRelease = func() {
		_, err := r.c.Extend(id, ana, 0, "")
		errs = append(errs, err)
	}
	for range 16 { // 00:00: the forced release
		r.site.report(15 * time.Minute)
		r.c.Step(ctx)
	}
	if len(errs) == 0 {
		t.Fatal("no release by 00:00")
	}
	err := errs[0]
	var re *ReleasingError
	if !errors.As(err, &re) || !errors.Is(err, ErrState) {
		t.Fatalf("extending while the chargers are released: %v, want a *ReleasingError, ErrState", err)
	}
	if got := re.At.In(t0.Location()).Format("01-02 15:04"); got != "02-05 00:00" || re.Hold != 4*time.Hour {
		t.Errorf("release at %s after %s, want 02-05 00:00 after 4 h", got, re.Hold)
	}
	if want := `extend "` + id + `": not possible in the event's state: its chargers are being released`; err.Error() != want {
		t.Errorf("error %q, want %q", err.Error(), want)
	}
	if n := len(r.j.records(RecDispatchExtend)); n != 0 {
		t.Errorf("%d dispatch_extend records, want none", n)
	}
}
