package adapterstest_test

import (
	"context"
	"errors"
	"testing"

	"github.com/v2gdesk/v2gdesk/adapters/adapterstest"
)

func TestDeadlinePassesWhenTold(t *testing.T) {
	d := adapterstest.NewDeadline()
	ctx, cancel := context.WithCancel(d)
	defer cancel()
	select {
	case <-ctx.Done():
		t.Fatal("a derived context is done before Pass")
	default:
	}
	if d.Err() != nil {
		t.Fatalf("Err before Pass = %v, want nil", d.Err())
	}
	d.Pass()
	d.Pass()     // twice does nothing
	<-ctx.Done() // a context derived from it ends too
	if !errors.Is(d.Err(), context.DeadlineExceeded) || !errors.Is(ctx.Err(), context.DeadlineExceeded) {
		t.Fatalf("Err after Pass = %v, derived %v, want deadline exceeded", d.Err(), ctx.Err())
	}
}
