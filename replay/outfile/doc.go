// Package outfile writes an output file so that it appears at its path only
// when complete: the command line's outputs (`v2gdesk solve --out`, `--mps`)
// and a recording's header (package replay) go through it, so a writer that
// fails, or is killed, leaves neither a half-written file nor a clobbered
// old one.
package outfile
