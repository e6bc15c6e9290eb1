package inproc_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/v2gdesk/v2gdesk/adapters"
	"github.com/v2gdesk/v2gdesk/adapters/inproc"
	"github.com/v2gdesk/v2gdesk/feeds"
)

// sim is a simulator that caps every charger at 3 kW and has no EV on "EMPTY".
type sim struct{ got []feeds.SetpointFrame }

func (s *sim) ApplySetpoint(f feeds.SetpointFrame) feeds.AckFrame {
	s.got = append(s.got, f)
	ack := feeds.AckFrame{Header: feeds.NewHeader(feeds.TypeAck), ID: f.ID, Charger: f.Charger, Status: feeds.AckAccepted, AppliedKW: f.KW}
	switch {
	case f.Charger == "EMPTY":
		ack.Status, ack.AppliedKW, ack.Reason = feeds.AckRejected, 0, "no vehicle"
	case f.KW > 3:
		ack.Status, ack.AppliedKW, ack.Reason = feeds.AckClamped, 3, "battery limit"
	}
	return ack
}

func TestInproc(t *testing.T) {
	until := time.Date(2026, 11, 26, 19, 0, 0, 0, time.UTC)
	tests := []struct {
		charger string
		kw      float64
		want    adapters.Status
		applied float64
		reason  string
	}{
		{"CP1", 2, adapters.StatusAccepted, 2, ""},
		{"CP1", 7, adapters.StatusClamped, 3, "battery limit"},
		{"EMPTY", 2, adapters.StatusRejected, 0, "no vehicle"},
	}
	for _, tt := range tests {
		s := &sim{}
		r := inproc.New(s).Apply(context.Background(), adapters.Setpoint{ID: "x", Charger: tt.charger, KW: tt.kw, ValidUntil: until, Event: "E"})
		if r.Status != tt.want || r.AppliedKW != tt.applied || !strings.Contains(r.Reason, tt.reason) {
			t.Errorf("%s %g: %+v, want %s %g", tt.charger, tt.kw, r, tt.want, tt.applied)
		}
		if len(s.got) != 1 || s.got[0].Type != feeds.TypeSetpoint || !s.got[0].ValidUntil.Equal(until) || s.got[0].Event != "E" {
			t.Errorf("simulator got %+v", s.got)
		}
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	s := &sim{}
	if r := inproc.New(s).Apply(ctx, adapters.Setpoint{ID: "y", Charger: "CP1", KW: 1, ValidUntil: until}); r.Status != adapters.StatusTimeout || len(s.got) != 0 {
		t.Errorf("cancelled ctx: %+v, sim calls %d", r, len(s.got))
	}
}
