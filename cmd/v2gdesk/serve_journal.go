package main

import (
	"fmt"
	"sort"
	"strconv"
	"strings"

	"github.com/v2gdesk/v2gdesk/adapters"
	"github.com/v2gdesk/v2gdesk/tui/sshd"
)

// journalAuditor writes the SSH desk's audit records (logins, logouts,
// refusals, operator actions) to the adapters' audit journal, so one file
// tells what every operator did and what was sent to the hardware.
type journalAuditor struct{ j *adapters.Journal }

// Record implements sshd.Auditor: "reason" becomes the record's Reason,
// everything else its Detail as sorted key=value pairs.
func (a journalAuditor) Record(kind, operator string, detail map[string]any) error {
	rec := adapters.Record{Kind: journalKind(kind), Operator: operator}
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

// journalKind maps the desk's record kinds onto the journal's where the
// journal has one; the others keep their own name (readers show unknown
// kinds as they are).
func journalKind(kind string) adapters.RecordKind {
	switch kind {
	case sshd.AuditLogin:
		return adapters.RecLogin
	case "alarm.ack":
		return adapters.RecAlarmAck
	case "dispatch.confirm":
		return adapters.RecDispatchConfirm
	}
	return adapters.RecordKind(kind)
}
