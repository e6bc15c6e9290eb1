package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"time"

	"github.com/v2gdesk/v2gdesk/feeds"
	"github.com/v2gdesk/v2gdesk/replay"
)

// runRecord records a live feed to a .v2grec file until --duration passes or
// the process is interrupted.
func runRecord(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("v2gdesk record", flag.ContinueOnError)
	fs.SetOutput(stderr)
	feed := fs.String("feed", "", "websocket `URL` of the telemetry feed (ws:// or wss://), required")
	out := fs.String("out", "", "recording `FILE` to create (.v2grec), required; an existing file is not overwritten")
	duration := durationFlag(fs, "duration", 0, "stop after this long (default: until interrupted)")
	said := commandLang(args, false)
	fs.Usage = func() {
		printUsage(fs, said, `Usage: v2gdesk record --feed URL --out FILE [--duration D]

Records every message of a protocol v1 feed to a gzip JSON Lines recording (docs/protocol.md, Recording format).
The file is flushed every second; Ctrl-C (SIGINT) or SIGTERM closes it cleanly, and even a killed
recorder leaves a file that `+"`v2gdesk replay`"+` reads up to the last flush.
`)
	}
	if code, done := parseArgs(fs, args, stdout, stderr, said); done {
		return code
	}
	switch {
	case *feed == "":
		fmt.Fprintln(stderr, say(said, "v2gdesk record: --feed URL is required (e.g. --feed ws://127.0.0.1:8765/v1)"))
		return exitUsage
	case *out == "":
		fmt.Fprintln(stderr, say(said, "v2gdesk record: --out FILE is required"))
		return exitUsage
	case duration.d < 0:
		fmt.Fprintln(stderr, say(said, "v2gdesk record: --duration %s: want a positive duration, or 0 to record until interrupted", duration))
		return exitUsage
	}
	if err := checkFeedURL(*feed); err != nil {
		fmt.Fprintln(stderr, say(said, "v2gdesk record: --feed %q: %v", *feed, errorIn(said, err)))
		return exitUsage
	}
	if fi, err := os.Stat(*out); err == nil && !fi.IsDir() {
		fmt.Fprintln(stderr, say(said, "v2gdesk record: %s already exists; choose another --out", *out))
		return 1
	}
	// The recorder creates the file at its first flush: find a directory
	// it cannot write in now, not after connecting (or after --duration).
	probe, err := createOut("out", *out, "feed.v2grec")
	if err != nil {
		fmt.Fprintln(stderr, "v2gdesk record: "+errorIn(said, err))
		return 1
	}
	probe.Abort()
	if duration.d > 0 {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, duration.d)
		defer cancel()
	}
	log := slog.New(slog.NewTextHandler(stderr, &slog.HandlerOptions{Level: slog.LevelWarn}))
	rec := replay.NewRecorder(*out, replay.RecorderOptions{Source: *feed, Logger: log})
	sub := feeds.NewSubscriber(*feed, feeds.SubscriberOptions{Logger: log})

	flushCtx, stopFlush := context.WithCancel(ctx)
	// A recording that cannot be written (a full disk, a file made at
	// --out meanwhile) stops the command: it went on "recording" until
	// Ctrl-C, every frame dropped, the stderr line the only sign.
	runCtx, stopRun := context.WithCancel(ctx)
	defer stopRun()
	flushed := make(chan error, 1)
	go func() {
		err := rec.FlushEvery(flushCtx, replay.FlushInterval)
		if err != nil {
			stopRun()
		}
		flushed <- err
	}()
	fmt.Fprintf(stderr, "recording %s to %s (Ctrl-C to stop)\n", *feed, *out)
	runErr := sub.Run(runCtx, rec)
	stopFlush()
	flushErr := <-flushed
	closeErr := rec.Close()
	st := rec.Stats()
	switch {
	case errors.Is(closeErr, replay.ErrNoFrames) && st.Invalid > 0:
		// Messages came, none of them JSON: "no frames arrived" would
		// send the engineer looking at the network, not at the URL.
		if st.Invalid == 1 {
			fmt.Fprintf(stderr, "v2gdesk record: 1 message arrived from %s, not JSON (is it a protocol v1 feed?); %s was not written\n", *feed, *out)
		} else {
			fmt.Fprintf(stderr, "v2gdesk record: %d messages arrived from %s, none of them JSON (is it a protocol v1 feed?); %s was not written\n", st.Invalid, *feed, *out)
		}
		return 1
	case errors.Is(closeErr, replay.ErrNoFrames):
		fmt.Fprintf(stderr, "v2gdesk record: no frames arrived from %s; %s was not written\n", *feed, *out)
		return 1
	case closeErr != nil:
		fmt.Fprintf(stderr, "v2gdesk record: %s: %v%s\n", *out, closeErr, recordingCut(st))
		return 1
	case flushErr != nil:
		fmt.Fprintf(stderr, "v2gdesk record: %s: %v%s\n", *out, flushErr, recordingCut(st))
		return 1
	}
	fmt.Fprintf(stdout, "recorded %d %s to %s (%d %s, %d %s", st.Frames, pluralForm(st.Frames, "frame", "frames"), *out,
		st.Bytes, pluralForm(st.Bytes, "byte", "bytes"), st.Flushes, pluralForm(st.Flushes, "flush", "flushes"))
	if st.Invalid > 0 {
		fmt.Fprintf(stdout, ", %d non-JSON %s skipped", st.Invalid, pluralForm(st.Invalid, "message", "messages"))
	}
	switch {
	case st.Backwards == 1:
		fmt.Fprint(stdout, ", 1 frame whose time went back recorded at the latest time before it")
	case st.Backwards > 0:
		fmt.Fprintf(stdout, ", %d frames whose time went back recorded at the latest time before them", st.Backwards)
	}
	fmt.Fprintln(stdout, ")")
	if runErr != nil && !errors.Is(runErr, context.Canceled) && !errors.Is(runErr, context.DeadlineExceeded) {
		fmt.Fprintf(stderr, "v2gdesk record: feed %s: %v\n", *feed, runErr)
		return 1
	}
	return 0
}

// recordingCut says, after a recording stopped by a write that failed (a
// full disk), what its file holds: the error alone left the operator to
// guess whether the file was lost, and so the night's recording with it.
// Empty when no file was made.
func recordingCut(st replay.RecorderStats) string {
	switch {
	case st.Flushes == 0:
		return ""
	case st.Kept == 0:
		return "; the recording stopped: the file holds its header and no frame, nothing to replay"
	}
	return fmt.Sprintf("; the recording stopped: the file holds %d %s, up to %s (its last flush), which `v2gdesk replay` plays, saying where the file was cut",
		st.Kept, pluralForm(st.Kept, "frame", "frames"), st.KeptUntil.Format(time.RFC3339))
}
