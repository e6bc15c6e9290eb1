package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"
	"github.com/charmbracelet/x/term"

	"github.com/v2gdesk/v2gdesk/tui"
)

// demoStart is where the embedded demo day starts when no --start is given:
// early enough to see the evening peak build, late enough that it arrives
// within minutes at 60x.
const demoStart = "16:00"

// runDesk runs the dashboard in this terminal: on the embedded demo day by
// default (a simulation, never shown as LIVE), on a live feed with --feed.
func runDesk(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("v2gdesk", flag.ContinueOnError)
	fs.SetOutput(stderr)
	var o ingestOptions
	o.register(fs)
	adaptersFile := fs.String("adapters", "", "adapter configuration `FILE` for sending setpoints")
	lang := fs.String("lang", "en", "interface language: en or zh-CN")
	fs.Usage = func() {
		fmt.Fprintln(fs.Output(), "Usage: v2gdesk [--scenario demo|FILE [--speed 60] [--start HH:MM] | --feed URL] [--lang en|zh-CN]")
		fmt.Fprintln(fs.Output(), "\nThe dashboard. With no flags: the embedded demo day from 16:00 at 60x.")
		fmt.Fprintln(fs.Output(), "`v2gdesk help` lists the other commands.")
		fs.PrintDefaults()
	}
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
	if o.feed == "" && o.scenario == "" {
		o.scenario = "demo"
		if o.start == "" {
			o.start = demoStart
		}
	}
	if msg := o.check(); msg != "" {
		fmt.Fprintf(stderr, "v2gdesk: %s\n", msg)
		return exitUsage
	}
	if err := tui.CheckLang(*lang); err != nil {
		fmt.Fprintf(stderr, "v2gdesk: --lang: %v\n", err)
		return exitUsage
	}
	if *adaptersFile != "" {
		fmt.Fprintln(stderr, "v2gdesk: --adapters: sending setpoints from the dashboard is not wired yet; "+
			"use `v2gdesk setpoint` for one charger")
		return 1
	}
	// The dashboard owns the terminal, so logs go to stderr only at warning
	// level and above; a redirected stderr keeps them.
	log := slog.New(slog.NewTextHandler(stderr, &slog.HandlerOptions{Level: slog.LevelWarn}))
	in, err := openIngest(o, log)
	if err != nil {
		fmt.Fprintf(stderr, "v2gdesk: %v\n", err)
		return 1
	}
	return runDashboard(ctx, in, *lang, log, stderr)
}

// runDashboard runs one dashboard in this terminal on in until the operator
// quits or ctx ends.
func runDashboard(ctx context.Context, in ingest, lang string, log *slog.Logger, stderr io.Writer) int {
	if !term.IsTerminal(os.Stdin.Fd()) || !term.IsTerminal(os.Stdout.Fd()) {
		fmt.Fprintln(stderr, "v2gdesk: the dashboard needs a terminal; for scripts use `v2gdesk status --feed URL` or `v2gdesk replay FILE --headless`")
		return 1
	}
	desk := startDesk(in, log)
	defer desk.stop()
	snaps, unsubscribe := desk.hub.Subscribe()
	defer unsubscribe()
	m := tui.New(tui.Options{
		Snapshots: snaps,
		Mode:      in.mode,
		Control:   in.control,
		Alarms:    desk.alarms,
		Lang:      lang,
		Renderer:  lipgloss.NewRenderer(os.Stdout),
		TimeOfUse: in.tou,
	})
	p := tea.NewProgram(m, tea.WithAltScreen(), tea.WithContext(ctx))
	if _, err := p.Run(); err != nil && !errors.Is(err, tea.ErrProgramKilled) {
		fmt.Fprintf(stderr, "v2gdesk: %v\n", err)
		return 1
	}
	return 0
}
