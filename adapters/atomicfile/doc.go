// Package atomicfile writes a file so that it appears at its path only when
// complete, and stays there after a crash: it is written to a temporary file
// beside the path, fsynced, renamed (or linked) into place, and the
// directory fsynced. A writer that fails, or is killed, leaves neither a
// half-written file nor a clobbered old one.
//
// The command line's outputs (`v2gdesk solve --out`, `--mps`), a
// recording's header (package replay) and the audit journal's archive
// (package adapters) go through it; what differs between them, the file's
// mode, is an Option, and whether an existing file may be replaced is the
// choice of method (Commit or CommitNew, Publish or PublishNew).
package atomicfile
