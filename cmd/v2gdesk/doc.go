// Command v2gdesk is the control-room desk for EV smart charging and
// vehicle-to-grid: one binary whose subcommands wire the packages together.
// Run `v2gdesk help` for the list of subcommands; README.md and docs/ say
// what each does.
//
// The command holds no model of its own: it reads the command line, opens
// the sources and files it names, hands them to the packages and words
// what they report (in English or zh-CN). A desk, the dashboard in this
// terminal or `serve`'s over SSH, is wired in the order data flows through
// it (README.md, Layout, for the packages):
//
//	--feed | --scenario | --adapters (OCPP)  openIngest (ingest.go): feeds.Subscriber,
//	                                         replay/sim.Sim or the OCPP central systems
//	  -> startDesk (ingest.go)               feeds.Fleet -> feeds.Hub -> feeds/alarm.Engine,
//	                                         and the DR controller (drwire.go, dispatch/plan/control)
//	  -> setpoints                           adapters.Guard and Journal, then the adapters of
//	                                         --adapters (openSite, adapters/site) or the
//	                                         simulator; acks come back into the fleet
//	  -> runDashboard (desk.go) | serve.go   tui.New, one model per terminal (tui/sshd per session)
//
// `replay` plays a recording into the same desk (replay.go; replay_headless.go
// without one). The other commands run once and exit: `dispatch` plans,
// previews, sends and follows a DR event without a screen (dispatch*.go),
// `status`, `record`, `sim` (its stdin commands in simctl.go), `solve`,
// `setpoint`, `audit` and `archive`, each in the file of its name.
//
// The command line itself: main.go dispatches to the subcommands; every
// command's --help goes to stdout and its usage errors to stderr
// (flagtext.go, placeholders.go, helpwrap.go); said.go and said_zh.go word
// the command line's own texts in the language cmdlang.go chooses; and
// outputcheck.go turns a stdout that could not be written into exit 1.
package main
