package control

import (
	"errors"
	"strings"
	"testing"
)

// A refused proposal without an id must not use up an OP-n: the journal's
// operator-made ids would skip one, which an auditor reads as a lost
// record, and the refusal must not name an id the event never had.
func TestRefusedProposalTakesNoID(t *testing.T) {
	r := newRig(t, nil)
	bad := capF1("", 120)
	bad.Scope = "F9"
	_, err := r.c.Propose(bad, OriginOperator, ana)
	if !errors.Is(err, ErrInvalidEvent) {
		t.Fatalf("bad scope: err = %v, want ErrInvalidEvent", err)
	}
	if got := err.Error(); !strings.HasPrefix(got, "new event: ") || strings.Contains(got, "OP-") {
		t.Errorf("refusal = %q, want it to start \"new event: \" and name no OP id", got)
	}
	r.j.fail = errors.New("disk full")
	if _, err := r.c.Propose(capF1("", 120), OriginOperator, ana); err == nil {
		t.Fatal("proposal with a failing journal: no error")
	}
	r.j.fail = nil
	id, err := r.c.Propose(capF1("", 120), OriginOperator, ana)
	if err != nil {
		t.Fatal(err)
	}
	if id != "OP-1" {
		t.Errorf("first accepted proposal's id = %q, want OP-1 (refusals took none)", id)
	}
	recs := r.j.recs
	if len(recs) != 1 || recs[0].Kind != RecDispatchPropose || recs[0].Event != "OP-1" {
		t.Errorf("journal = %+v, want one propose record for OP-1", recs)
	}
}
