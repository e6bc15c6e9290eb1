package tui

import (
	"strings"
	"time"
)

// ackFit is a list's last ack in w cells: whole where it fits, else
// without its time ("✓ accepted −11.0", the charger's page has the time),
// so what the charger answered and with what power is not cut to
// "✓ accepted −11.0 1…" at 80 columns.
func ackFit(ack string, w int) string {
	if width(ack) <= w {
		return ack
	}
	i := strings.LastIndexByte(ack, ' ')
	if i < 0 {
		return ack
	}
	if _, err := time.Parse("15:04", ack[i+1:]); err != nil {
		return ack
	}
	return ack[:i]
}
