package sshd

import (
	"errors"
	"strings"
	"sync"
	"testing"
	"time"
)

func TestClaims(t *testing.T) {
	at := time.Date(2026, 11, 26, 18, 42, 10, 0, time.UTC)
	c := NewClaims(func() time.Time { return at })
	dana := Present{ID: 1, Operator: Operator{Name: "dana", Role: RoleDispatcher}}
	omar := Present{ID: 2, Operator: Operator{Name: "omar", Role: RoleDispatcher}}

	first, err := c.Acquire(dana, "DR-17 cap F07", "feeder:F07", "event:DR-17")
	if err != nil {
		t.Fatal(err)
	}
	_, err = c.Acquire(omar, "shed F03+F07", "feeder:F03", "feeder:F07")
	var ce *ConflictError
	if !errors.As(err, &ce) || !errors.Is(err, ErrClaimed) {
		t.Fatalf("second claim: %v, want a *ConflictError", err)
	}
	if want := "feeder:F07 is already being dispatched by dana (dispatcher) for DR-17 cap F07 since 18:42:10"; err.Error() != want {
		t.Errorf("message %q, want %q", err, want)
	}
	// In Chinese: the feeder, who and since when; the holder's English
	// description of its dispatch stays in the log.
	if want := "feeder:F07 正由 dana (调度员) 调度, 自 18:42:10 起"; ce.In(LangZhCN) != want {
		t.Errorf("zh-CN %q, want %q", ce.In(LangZhCN), want)
	}
	if ce.In(LangEN) != err.Error() {
		t.Errorf("en %q, want %q", ce.In(LangEN), err.Error())
	}
	// All or nothing: F03 must not be held by the failed claim.
	if _, held := c.Holder("feeder:F03"); held {
		t.Errorf("a refused claim held feeder:F03")
	}
	if h, ok := c.Holder("event:DR-17"); !ok || h.Holder.ID != 1 {
		t.Errorf("holder of event:DR-17: %+v %v", h, ok)
	}

	first.Release()
	first.Release() // harmless
	second, err := c.Acquire(omar, "shed F03+F07", "feeder:F03", "feeder:F07", "feeder:F07")
	if err != nil {
		t.Fatalf("after release: %v", err)
	}
	if strings.Join(second.Keys, ",") != "feeder:F03,feeder:F07" {
		t.Errorf("keys %v", second.Keys)
	}
	first.Release() // releasing a stale claim must not free omar's keys
	if _, held := c.Holder("feeder:F07"); !held {
		t.Errorf("stale release freed another session's key")
	}
	if n := c.ReleaseSession(omar.ID); n != 1 {
		t.Errorf("ReleaseSession released %d claims, want 1", n)
	}
	if _, held := c.Holder("feeder:F03"); held {
		t.Errorf("ReleaseSession left feeder:F03 held")
	}
	if _, err := c.Acquire(dana, "nothing"); err == nil {
		t.Errorf("a claim on nothing succeeded")
	}
}

func TestClaimsOneWinnerUnderContention(t *testing.T) {
	c := NewClaims(nil)
	var wg sync.WaitGroup
	var mu sync.Mutex
	wins, conflicts := 0, 0
	for i := range 50 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, err := c.Acquire(Present{ID: uint64(i + 1)}, "race", "feeder:F07")
			mu.Lock()
			defer mu.Unlock()
			if err == nil {
				wins++
			} else if errors.Is(err, ErrClaimed) {
				conflicts++
			}
		}()
	}
	wg.Wait()
	if wins != 1 || conflicts != 49 {
		t.Errorf("%d wins, %d conflicts; want 1 and 49", wins, conflicts)
	}
}

// TestConflictErrorNamesTheScope: the dispatch controller's claims (an
// event, a scope, taken without a role) read in each language.
func TestConflictErrorNamesTheScope(t *testing.T) {
	at := time.Date(2026, 11, 26, 18, 42, 10, 0, time.UTC)
	ana := Present{ID: 1, Operator: Operator{Name: "ana"}}
	for _, tc := range []struct{ key, en, zh string }{
		{"scope:F07", "scope:F07 is already being dispatched by ana for OP-1 cap F07 at 1500 kW 18:30–19:30 since 18:42:10",
			"F07 正由 ana 调度, 自 18:42:10 起"},
		{"scope:system", "scope:system is already being dispatched by ana for OP-1 cap F07 at 1500 kW 18:30–19:30 since 18:42:10",
			"全系统 正由 ana 调度, 自 18:42:10 起"},
		{"event:OP-1", "event:OP-1 is already being dispatched by ana for OP-1 cap F07 at 1500 kW 18:30–19:30 since 18:42:10",
			"事件 OP-1 正由 ana 调度, 自 18:42:10 起"},
	} {
		e := &ConflictError{Key: tc.key, Holder: ana, What: "OP-1 cap F07 at 1500 kW 18:30–19:30", Since: at}
		if e.Error() != tc.en {
			t.Errorf("%s: %q, want %q", tc.key, e.Error(), tc.en)
		}
		if got := e.In(LangZhCN); got != tc.zh {
			t.Errorf("%s zh-CN: %q, want %q", tc.key, got, tc.zh)
		}
	}
}
