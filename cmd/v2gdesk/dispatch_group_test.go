package main

import (
	"testing"

	"github.com/v2gdesk/v2gdesk/adapters"
)

// TestDispatchCountsGroupThousands: `dispatch --follow` ended "answers 1911
// accepted" where the desk writes 16,435.
func TestDispatchCountsGroupThousands(t *testing.T) {
	got := statusLine(map[adapters.Status]int{adapters.StatusAccepted: 1911, adapters.StatusRejected: 3})
	if want := "1,911 accepted · 3 rejected"; got != want {
		t.Errorf("statusLine = %q, want %q", got, want)
	}
}
