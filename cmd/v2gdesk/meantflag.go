package main

import (
	"flag"
	"strings"
)

// meantFlag is the flag a positional argument was likely meant for, ""
// when none is clear: a tired `v2gdesk status ws://host:8765/v1` or
// `v2gdesk audit audit.jsonl` was told only "unexpected argument".
func meantFlag(fs *flag.FlagSet, arg string) string {
	has := func(name string) bool { return fs.Lookup(name) != nil }
	lower := strings.ToLower(arg)
	switch {
	case (strings.HasPrefix(lower, "ws://") || strings.HasPrefix(lower, "wss://")) && has("feed"):
		return "feed"
	case strings.HasSuffix(lower, ".v2grec") && has("out"):
		return "out"
	case strings.HasSuffix(lower, ".jsonl") && has("journal"):
		return "journal"
	case strings.HasSuffix(lower, ".json") && has("problem"):
		return "problem"
	case strings.HasSuffix(lower, ".json") && has("event"):
		return "event"
	}
	return ""
}
