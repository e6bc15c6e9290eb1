package tui

import (
	"context"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/charmbracelet/x/ansi"

	"github.com/v2gdesk/v2gdesk/adapters"
	"github.com/v2gdesk/v2gdesk/adapters/adapterstest"
)

// steppedClock is a guard's clock the test moves.
type steppedClock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *steppedClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *steppedClock) set(t time.Time) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = t
}

// heldAdapter answers accepted once release is closed; until then it
// waits, as a charge point that answers after the batch deadline.
type heldAdapter struct {
	started chan struct{}
	release chan struct{}
}

func (a *heldAdapter) Apply(ctx context.Context, sp adapters.Setpoint) adapters.Result {
	close(a.started)
	select {
	case <-a.release:
		return adapters.Result{Status: adapters.StatusAccepted, AppliedKW: sp.KW}
	case <-ctx.Done():
		return adapters.Result{Status: adapters.StatusTimeout, Reason: "no answer"}
	}
}

// TestLateAcceptanceShownOnTheChargersPage: a setpoint reported timeout
// that the charger then accepted (late_result) reads "✓ accepted late
// 7.0 kW 18:04" on the charger's page and in the list, at the answer's
// time, not "✕ timed out"; the overview counts it applied, not timed out.
// In zh-CN the same, in Chinese. A real guard answers, so the page, the
// list and the overview all read what it says.
func TestLateAcceptanceShownOnTheChargersPage(t *testing.T) {
	for _, lang := range []string{"", "zh-CN"} {
		fx := demo(t)
		at := fx.snap.At
		c := chargerWithoutAck(t, fx)
		j, _, err := adapters.OpenJournal(filepath.Join(t.TempDir(), "a.jsonl"))
		if err != nil {
			t.Fatal(err)
		}
		defer j.Close()
		clock := &steppedClock{t: at.Add(-3 * time.Minute)}
		// The batch's deadline passes once the adapter holds the setpoint
		// (adapterstest.Deadline), not after some wall time.
		g := adapters.NewGuard(j, adapters.GuardOptions{BatchTimeout: time.Hour, LateGrace: time.Hour, Now: clock.Now})
		a := &heldAdapter{started: make(chan struct{}), release: make(chan struct{})}
		if err := g.AddAdapter("o", a, 1, 1); err != nil {
			t.Fatal(err)
		}
		g.SetCharger(adapters.ChargerConfig{ID: c.ID, Adapter: "o", MaxChargeKW: 11})
		ctx := adapterstest.NewDeadline()
		res := make(chan adapters.Result, 1)
		go func() {
			res <- g.Apply(ctx, adapters.Setpoint{ID: "l1", Charger: c.ID, KW: 7, ValidUntil: at.Add(15 * time.Minute)})
		}()
		<-a.started
		ctx.Pass()
		if r := <-res; r.Status != adapters.StatusTimeout {
			t.Fatalf("result %+v, want timeout", r)
		}
		clock.set(at.Add(-time.Minute)) // the answer's time
		close(a.release)
		g.Close() // the worker journals the late answer

		m := overviewWith(t, lang, g, nil, 160, 45)
		head := "Setpoints"
		if lang == "zh-CN" {
			head = m.tr.t("Setpoints")
		}
		row := setpointRow(t, ansi.Strip(m.View()), head)
		if !strings.Contains(row, "1 "+m.tr.t("applied")) || !strings.Contains(row, "0 "+m.tr.t("timed out")) ||
			!strings.Contains(row, "1 "+m.tr.t("late")) {
			t.Errorf("%s: overview %q, want 1 applied, 1 late, none timed out", lang, row)
		}
		want := "✓ accepted late 7.0"
		if lang == "zh-CN" {
			want = "✓ 已接受(迟到) 7.0"
		}
		when := hhmm(at.Add(-time.Minute), m.loc())
		runKeys(m, "3")
		if row := lineWith(ansi.Strip(m.View()), " "+c.ID+" "); !strings.Contains(row, want+" "+when) {
			t.Errorf("%s: list row %q lacks %q", lang, row, want+" "+when)
		}
		runKeys(m, "/")
		for _, r := range c.ID {
			runKeys(m, string(r))
		}
		runKeys(m, "EE")
		page := ansi.Strip(m.View())
		if !strings.Contains(page, want+" kW "+when) || strings.Contains(page, m.tr.t("timed out")) {
			t.Errorf("%s: %s's page lacks %q (or still says timed out):\n%s", lang, c.ID, want+" kW "+when, page)
		}
		if lang == "zh-CN" && strings.Contains(page, "late") {
			t.Errorf("zh-CN page shows the English word:\n%s", page)
		}
	}
}
