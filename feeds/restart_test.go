package feeds

import (
	"errors"
	"strings"
	"testing"
	"time"
)

// TestDecodeRestartSignal: a batch's restart signal (docs/protocol.md,
// Restart) decodes to its time and count; a malformed one rejects its
// batch, naming batch restart and the field.
func TestDecodeRestartSignal(t *testing.T) {
	fr, err := Decode([]byte(`{"v":1,"type":"batch","frames":[],"restart":{"at":"2024-01-17T16:00:00+08:00","dropped":12}}`))
	if err != nil {
		t.Fatal(err)
	}
	r := fr.(*Batch).Restart
	if want := time.Date(2024, 1, 17, 8, 0, 0, 0, time.UTC); r == nil || r.Dropped != 12 || !r.At.Equal(want) {
		t.Fatalf("restart %+v, want 12 dropped at %s", r, want)
	}
	for _, tc := range []struct{ body, reason, part string }{
		{`{"at":"16:00","dropped":1}`, string(RejectBadTime), "at"},
		{`{"dropped":1}`, string(RejectBadTime), "at"},
		{`{"at":"2024-01-17T16:00:00+08:00"}`, "", "dropped"},
		{`{"at":"2024-01-17T16:00:00+08:00","dropped":-1}`, string(RejectOutOfRange), "dropped"},
		{`{"at":"2024-01-17T16:00:00+08:00","dropped":1.5}`, string(RejectOutOfRange), "dropped"},
	} {
		_, err := Decode([]byte(`{"v":1,"type":"batch","frames":[],"restart":` + tc.body + `}`))
		re, ok := errors.AsType[*RejectError](err)
		if !ok || (tc.reason != "" && string(re.Reason) != tc.reason) || !strings.Contains(err.Error(), "batch") || !strings.Contains(err.Error(), tc.part) {
			t.Errorf("restart %s: %v, want a %s reject naming batch and %s", tc.body, err, tc.reason, tc.part)
		}
	}
}

// TestInProcessRestartSignals: a fleet whose in-process source reports
// its seeks (FleetOptions.CatchingUp) takes the restart signals that come
// through it only when that source makes them (SourceRestarts, the desk's
// own simulator): a replay's are a recorded feed's copies, and its desk
// said nothing when the in-process simulator started its day over.
func TestInProcessRestartSignals(t *testing.T) {
	const hello = `{"v":1,"type":"hello","site":"S","tz":"UTC","ts":"2024-01-17T08:00:00Z","mode":"simulation","feeders":[],"chargers":[]}`
	const restart = `{"v":1,"type":"batch","frames":[],"restart":{"at":"2024-01-17T08:00:00Z","dropped":3}}`
	for _, tt := range []struct {
		name    string
		own     bool
		want    uint64
		wantCBs int
	}{
		{"a replay's copy", false, 0, 0},
		{"the in-process simulator's own", true, 1, 1},
	} {
		t.Run(tt.name, func(t *testing.T) {
			var told []RestartSignal
			fl := NewFleet(FleetOptions{
				CatchingUp:     func() (uint64, bool) { return 0, false },
				SourceRestarts: tt.own,
				OnRestart:      func(r RestartSignal) { told = append(told, r) },
			})
			fl.HandleLink(LinkEvent{Up: true, Reset: true})
			fl.HandleFrame([]byte(hello))
			fl.HandleFrame([]byte(restart))
			st := fl.Snapshot().Stats
			if st.Restarts != tt.want || len(told) != tt.wantCBs {
				t.Fatalf("Restarts %d, OnRestart called %d times; want %d and %d", st.Restarts, len(told), tt.want, tt.wantCBs)
			}
			if tt.own && st.LastRestart.Dropped != 3 {
				t.Errorf("LastRestart %+v, want 3 dropped", st.LastRestart)
			}
		})
	}
}
