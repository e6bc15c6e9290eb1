package alarm

import (
	"testing"
	"time"
)

// TestUnackedAlarmKeepsItsPeak: F07 at 119 % eases to 96 % before anyone
// acknowledges it. The list shows the current level (△ WARN 96 %) but keeps
// that it was ▲ HIGH at 119 %, annunciated at high priority, until an
// operator acknowledges it; from then it reads what it is.
func TestUnackedAlarmKeepsItsPeak(t *testing.T) {
	e := NewEngine(Options{DelayOn: -1, Clock: func() time.Time { return t0 }})
	e.Observe(feederSnap(1, t0, 119))
	e.Observe(feederSnap(2, t0.Add(time.Minute), 96))
	a, ok := e.Board().Find("loading/F07")
	if !ok {
		t.Fatal("no loading alarm")
	}
	if a.Severity != SevWarn || a.Value != 96 {
		t.Errorf("now: %v %.0f, want WARN 96", a.Severity, a.Value)
	}
	if a.Peak != SevHigh || a.PeakValue != 119 || a.Priority != PriorityHigh {
		t.Errorf("unacknowledged after easing: peak %v %.0f priority %v, want HIGH 119 high", a.Peak, a.PeakValue, a.Priority)
	}
	if c := e.Board().Counts; c.HighestUnack != SevHigh || c.HighUnack != 1 {
		t.Errorf("counts: highest unack %v, high unack %d; want HIGH, 1", c.HighestUnack, c.HighUnack)
	}

	// Returned to normal unacknowledged: still says it was HIGH.
	e.Observe(feederSnap(3, t0.Add(2*time.Minute), 50))
	if a, _ := e.Board().Find("loading/F07"); a.State != StateRTNUnack || a.Peak != SevHigh || a.PeakValue != 119 {
		t.Errorf("returned: %v peak %v %.0f, want RTN UNACK HIGH 119", a.State, a.Peak, a.PeakValue)
	}
	// Back over warning before anyone acknowledged: the peak stands.
	e.Observe(feederSnap(4, t0.Add(3*time.Minute), 95))
	if a, _ := e.Board().Find("loading/F07"); a.State != StateUnack || a.Severity != SevWarn || a.Peak != SevHigh || a.PeakValue != 119 {
		t.Errorf("re-raised: %v %v peak %v %.0f, want UNACK WARN peak HIGH 119", a.State, a.Severity, a.Peak, a.PeakValue)
	}

	if err := e.Ack("loading/F07", "ana"); err != nil {
		t.Fatal(err)
	}
	a, _ = e.Board().Find("loading/F07")
	if a.Peak != SevWarn || a.PeakValue != 95 || a.Priority != PriorityMedium {
		t.Errorf("acknowledged: peak %v %.0f priority %v, want WARN 95 medium", a.Peak, a.PeakValue, a.Priority)
	}
	if c := e.Board().Counts; c.HighestUnack != SevNone || c.HighUnack != 0 {
		t.Errorf("counts after ack: %v %d, want none", c.HighestUnack, c.HighUnack)
	}
	// Acknowledged, it follows the level: easing within WARN moves the figure.
	e.Observe(feederSnap(5, t0.Add(4*time.Minute), 93))
	if a, _ := e.Board().Find("loading/F07"); a.Peak != SevWarn || a.PeakValue != 93 {
		t.Errorf("acknowledged easing: peak %v %.0f, want WARN 93", a.Peak, a.PeakValue)
	}
	// An escalation after the acknowledgement starts a new peak.
	e.Observe(feederSnap(6, t0.Add(5*time.Minute), 104))
	e.Observe(feederSnap(7, t0.Add(6*time.Minute), 92))
	if a, _ := e.Board().Find("loading/F07"); a.State != StateUnack || a.Severity != SevWarn || a.Peak != SevHigh || a.PeakValue != 104 {
		t.Errorf("new peak: %v %v peak %v %.0f, want UNACK WARN HIGH 104", a.State, a.Severity, a.Peak, a.PeakValue)
	}
}
