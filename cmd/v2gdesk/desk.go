package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
)

// runDesk runs the dashboard: on the embedded demo day by default, on a live
// feed with --feed.
func runDesk(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("v2gdesk", flag.ContinueOnError)
	fs.SetOutput(stderr)
	feed := fs.String("feed", "", "websocket `URL` of a live telemetry feed (protocol v1)")
	fs.String("adapters", "", "adapter configuration `FILE` for sending setpoints")
	fs.String("lang", "en", "interface language: en or zh-CN")
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return 0
		}
		return exitUsage
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(stderr, "v2gdesk: unexpected argument %q (commands: v2gdesk help)\n", fs.Arg(0))
		return exitUsage
	}
	_ = feed
	fmt.Fprintln(stderr, "v2gdesk: the dashboard and the embedded demo day are not built yet; "+
		"`v2gdesk status --feed URL` summarises a live feed.")
	return 1
}
