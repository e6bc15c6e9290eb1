package adapters

import "log/slog"

// Warn logs what the scan of the journal at path found that its opener
// should know before appending to it: a torn tail (cut off and kept beside
// it), lines that are not records (left in place) and seqs that go back
// (two writers, or copies pieced together). Every command that appends to a
// journal logs the same, so none appends to a damaged one without a word.
func (r ScanReport) Warn(lg *slog.Logger, path string) {
	if r.Torn != nil {
		lg.Warn("audit journal had a torn tail", "journal", path, "torn", r.Torn.String())
	}
	if b := r.FirstSeqBreak; b != nil {
		lg.Warn("audit journal's seqs go back: two processes wrote it, or it was pieced together from copies; `v2gdesk audit --journal` says where",
			"journal", path, "first", b.String(), "breaks", r.SeqBreaks)
	}
	if n := len(r.Corrupt); n > 0 {
		lg.Warn("audit journal has lines that are not records; `v2gdesk audit --journal` lists them", "journal", path,
			"lines", n, "first", r.Corrupt[0].Line)
	}
}
