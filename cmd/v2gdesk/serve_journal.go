package main

import (
	"fmt"
	"sort"
	"strconv"
	"strings"

	"github.com/v2gdesk/v2gdesk/adapters"
)

// journalAuditor writes the SSH desk's audit records (logins, logouts,
// refusals, operator actions) to the adapters' audit journal, so one file
// tells what every operator did and what was sent to the hardware.
type journalAuditor struct{ j *adapters.Journal }

// Record implements sshd.Auditor: kind is the record's Kind (sshd's and the
// dashboard's kinds are the journal's own names), "reason" becomes its
// Reason, everything else its Detail as sorted key=value pairs.
func (a journalAuditor) Record(kind, operator string, detail map[string]any) error {
	rec := adapters.Record{Kind: adapters.RecordKind(kind), Operator: operator}
	keys := make([]string, 0, len(detail))
	for k := range detail {
		if k == "reason" {
			rec.Reason = fmt.Sprint(detail[k])
			continue
		}
		keys = append(keys, k)
	}
	sort.Strings(keys)
	parts := make([]string, 0, len(keys))
	for _, k := range keys {
		v := fmt.Sprint(detail[k])
		if v == "" || strings.ContainsAny(v, " \t\n\"=") {
			v = strconv.Quote(v)
		}
		parts = append(parts, k+"="+v)
	}
	rec.Detail = strings.Join(parts, " ")
	if err := a.j.Append(rec); err != nil {
		return fmt.Errorf("audit %s by %q: %w", kind, operator, err)
	}
	return nil
}
