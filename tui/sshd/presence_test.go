package sshd

import (
	"strings"
	"testing"
	"time"
)

func TestPresence(t *testing.T) {
	p := NewPresence()
	at := time.Date(2026, 11, 26, 22, 0, 0, 0, time.UTC)
	ana := Operator{Name: "ana", Role: RoleDispatcher}
	bo := Operator{Name: "bo", Role: RoleViewer}
	a1 := p.Join(ana, "10.0.0.1:5000", at)
	b1 := p.Join(bo, "10.0.0.2:5000", at)
	a2 := p.Join(ana, "10.0.0.3:5000", at) // ana on a second terminal
	v := p.Version()
	if got := strings.Join(p.Labels(), ", "); got != "ana (dispatcher), bo (viewer)" {
		t.Errorf("labels %q", got)
	}
	if p.Len() != 3 || len(p.List()) != 3 || p.List()[0].ID != a1.ID {
		t.Errorf("list %+v", p.List())
	}
	p.Leave(a1.ID)
	if got := strings.Join(p.Labels(), ", "); got != "ana (dispatcher), bo (viewer)" {
		t.Errorf("ana still has a session: labels %q", got)
	}
	p.Leave(a2.ID)
	p.Leave(a2.ID) // twice is harmless
	if got := strings.Join(p.Labels(), ", "); got != "bo (viewer)" {
		t.Errorf("labels %q", got)
	}
	if p.Version() != v+2 {
		t.Errorf("version %d, want %d (one per real change)", p.Version(), v+2)
	}
	p.Leave(b1.ID)
	if p.Len() != 0 || len(p.Labels()) != 0 {
		t.Errorf("not empty: %+v", p.List())
	}
}
