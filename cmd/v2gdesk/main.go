package main

import (
	"bytes"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"syscall"
)

// version is set at build time with -ldflags "-X main.version=...".
var version = "dev"

// exitUsage is the exit code for a command line that cannot be understood.
const exitUsage = 2

// exitSourceEnded is the exit status of `dispatch --follow` when its source
// ended (a simulated or replayed day is over) before the event did: nothing
// failed, but the event did not run its course, and a script must be able
// to tell.
const exitSourceEnded = 3

// command is one subcommand. run gets the arguments after the subcommand's
// name and returns the process exit code.
type command struct {
	name    string
	summary string
	run     func(ctx context.Context, args []string, stdout, stderr io.Writer) int
}

// commands lists the subcommands in the order `v2gdesk help` shows them.
func commands() []command {
	return []command{
		{"status", "one-shot fleet summary of a live feed, for scripts and on-call checks", runStatus},
		{"replay", "play a .v2grec recording (--headless: a fleet summary per 15 minutes)", runReplay},
		{"sim", "serve a re-enacted day (demo or a scenario file) as a websocket feed, obeying setpoints", runSim},
		{"record", "record a live feed to a .v2grec file", runRecord},
		{"solve", "the dispatch optimiser on a Problem file (--json, --mps); --generate N writes an instance", runSolve},
		{"dispatch", "plan a DR event from a file on a feed or the demo day, preview, send (--yes), follow (--follow)", runDispatch},
		{"serve", "the desk for many operators over SSH, one shared ingest", runServe},
		{"setpoint", "send one setpoint to one charger through the guard and the audit journal", runSetpoint},
		{"audit", "read the audit journal", runAudit},
		{"archive", "move an audit journal's old records to an archive file, its writers stopped", runArchive},
	}
}

func main() {
	// SIGHUP too: the terminal that started a desk, a `serve` or a
	// `dispatch --follow` closed (an engineer's ssh dropped, a tmux
	// session killed). Its default action would kill the process on the
	// spot, before it cancels its DR events and journals that it did.
	ctx, stop := interruptContext(context.Background(), os.Interrupt, syscall.SIGTERM, syscall.SIGHUP)
	code := runChecked(ctx, os.Args[1:], os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}

// run dispatches args to a subcommand and returns the exit code.
func run(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 || (len(args[0]) > 0 && args[0][0] == '-' && args[0] != "-h" && args[0] != "--help" && args[0] != "-help" && args[0] != "--version" && args[0] != "-version") {
		if file, ok := replayFlag(args); ok {
			lang := commandLang(args, true)
			fmt.Fprintln(stderr, say(lang, "v2gdesk: the dashboard has no --replay; %s", playHintIn(lang, file)))
			return exitUsage
		}
		return runDesk(ctx, args, stdout, stderr)
	}
	lang := commandLang(args, false)
	switch args[0] {
	case "help", "-h", "-help", "--help":
		// `v2gdesk --help --lang zh-CN`, `v2gdesk help replay --lang
		// zh-CN`: the --lang the dashboard and replay take counts here too;
		// it read as a command's name ("unknown command \"--lang\"").
		args, lang = helpLang(args, lang)
		if len(args) > 1 {
			switch {
			case isHelpFlag(args[1]) || args[1] == "help":
				usage(stdout, lang)
				return 0
			case args[1] == "version":
				versionUsage(stdout, lang)
				return 0
			}
			for _, c := range commands() {
				if c.name == args[1] {
					helpArgs := []string{"--help"}
					if c.name == "replay" || c.name == "serve" {
						// They take --lang (commandLang); the others
						// word their help in the locale.
						helpArgs = append(helpArgs, "--lang", lang)
					}
					return c.run(ctx, helpArgs, stdout, stderr)
				}
			}
			fmt.Fprintln(stderr, say(lang, "v2gdesk help: unknown command %q", args[1]))
			return exitUsage
		}
		usage(stdout, lang)
		return 0
	case "version", "-version", "--version":
		switch {
		case len(args) > 1 && isHelpFlag(args[1]):
			versionUsage(stdout, lang)
			return 0
		case len(args) > 1:
			fmt.Fprintln(stderr, say(lang, "v2gdesk version: unexpected argument %q", args[1]))
			return exitUsage
		}
		fmt.Fprintf(stdout, "v2gdesk %s\n", version)
		return 0
	}
	for _, c := range commands() {
		if c.name == args[0] {
			return c.run(ctx, args[1:], stdout, stderr)
		}
	}
	if isRecording(args[0]) {
		fmt.Fprintln(stderr, say(lang, "v2gdesk: unknown command %q; %s", args[0], playHintIn(lang, args[0])))
		return exitUsage
	}
	unknownCommand(stderr, lang, args[0])
	return exitUsage
}

// isHelpFlag reports whether arg asks for help, as the flag package's
// -h, -help and --help do.
func isHelpFlag(arg string) bool {
	return arg == "-h" || arg == "-help" || arg == "--help" || arg == "--h"
}

// versionUsage is `v2gdesk version --help`, in lang.
func versionUsage(w io.Writer, lang string) {
	fmt.Fprint(w, say(lang, "Usage: v2gdesk version\n\nPrints the version of this binary (also --version).\n"))
}

// usage prints the command list, in lang, fitted in 80 columns.
func usage(out io.Writer, lang string) {
	var w bytes.Buffer
	defer func() { _, _ = io.WriteString(out, wrapHelp(w.String())) }()
	fmt.Fprint(&w, say(lang, "v2gdesk %s: control-room desk for EV smart charging and V2G\n\n", version))
	fmt.Fprint(&w, say(lang, `Usage:
  v2gdesk [flags]              the dashboard (the embedded demo day unless --feed, or --adapters with an OCPP central system, is given)
  v2gdesk <command> [flags]

Commands:
`))
	for _, c := range commands() {
		fmt.Fprintf(&w, "  %-10s %s\n", c.name, say(lang, c.summary))
	}
	fmt.Fprint(&w, say(lang, `  help       this list; `+"`v2gdesk help <command>`"+` for a command's flags
  version    print the version

The dashboard's flags (with no flags: the embedded demo day from 16:00 at 60x):
`))
	var o ingestOptions
	var deskLang, journal *string
	fs := deskFlags(&o, &deskLang, &journal)
	fs.SetOutput(&w)
	printDefaults(fs, lang)
	fmt.Fprintln(&w, say(lang, "\nEvery command takes --help. Exit code 2 means the command line was not understood."))
}

// parseArgs parses a subcommand's flags and refuses positional arguments.
// done reports that the command should stop at once with code: 0 after
// --help (printed on stdout), exitUsage for a flag it does not know (the
// flag package has said which) or an argument it does not take. What it
// prints is in lang.
func parseArgs(fs *flag.FlagSet, args []string, stdout, stderr io.Writer, lang string) (code int, done bool) {
	if err := parseFlags(fs, args, lang, stdout); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return 0, true
		}
		return exitUsage, true
	}
	if fs.NArg() > 0 {
		if name := meantFlag(fs, fs.Arg(0)); name != "" {
			fmt.Fprintln(stderr, say(lang, "%s: unexpected argument %q; did you mean --%s %s?", fs.Name(), fs.Arg(0), name, fs.Arg(0)))
			return exitUsage, true
		}
		fmt.Fprintln(stderr, say(lang, "%s: unexpected argument %q", fs.Name(), fs.Arg(0)))
		return exitUsage, true
	}
	return 0, false
}
