package main

import (
	"errors"
	"strings"
)

// framedLines repeats msg's frame on every line of the several errors
// err joins (errors.Join: an adapters file with three mistakes). msg is
// the line printed for err, a frame then err's text ("v2gdesk: --adapters:
// site.json: adapters config: …"); only the first of the joined errors
// had the frame, and the others read as if from nowhere ("adapters
// config: chargers[0] …": which command, which file?). msg is returned as
// it is when err joins nothing or msg does not end with the joined text.
func framedLines(msg string, err error) string {
	var joined interface{ Unwrap() []error }
	if !errors.As(err, &joined) {
		return msg
	}
	// The joined errors' own text, as it ends msg: its first line may
	// carry a frame of its own (the file name) that the later lines lack.
	inner := err
	for {
		if _, ok := inner.(interface{ Unwrap() []error }); ok {
			break
		}
		next := errors.Unwrap(inner)
		if next == nil {
			return msg
		}
		inner = next
	}
	lines := strings.Split(inner.Error(), "\n")
	if len(lines) < 2 {
		return msg
	}
	rest := strings.Join(lines[1:], "\n")
	if !strings.HasSuffix(msg, "\n"+rest) {
		return msg
	}
	head := strings.TrimSuffix(msg, "\n"+rest) // the frame, then lines[0]
	frame, ok := strings.CutSuffix(head, lines[0])
	if !ok || strings.Contains(frame, "\n") {
		return msg
	}
	var b strings.Builder
	b.WriteString(head)
	for _, l := range lines[1:] {
		b.WriteString("\n" + frame + l)
	}
	return b.String()
}
