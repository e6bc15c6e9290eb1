package main

import (
	"os/signal"
	"syscall"
)

// surviveClosedPipe makes a write to a pipe with no reader fail (EPIPE)
// for the rest of the process, instead of SIGPIPE's default, which kills
// it. A command that sends setpoints calls it before it sends: `dispatch
// --yes --follow | head` was killed at its first line after head had
// gone, with exit 141 and no word, leaving a confirmed event in the
// journal with no dispatch_end, its chargers neither handed back nor
// released; `serve 2>&1 | tee serve.log` died at its next log line once
// tee had gone, its operators cut off and its events never cancelled.
// Writes that fail are then the lost output that the command reports at
// its end (stdout to /dev/full: exit 1, stderr says the output is lost),
// and what it started runs its course. Read-only commands keep the
// default, so `audit | head` and `replay --headless | head` end quietly;
// interruptContext calls it once interrupted, for every command.
func surviveClosedPipe() { signal.Ignore(syscall.SIGPIPE) }
