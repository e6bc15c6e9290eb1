package control

import "fmt"

// The controller's English (Error texts, journal details, the log) counts
// chargers, setpoints and EVs; "1 of 1 setpoints not applied" and
// "released 1 chargers" read as slips in a journal an auditor signs off.
// The desk has its own helpers (tui/plural.go), which control does not
// import.

// count is n and the noun a count of n takes: "1 setpoint", "0 setpoints",
// "3 setpoints".
func count(n int, one, many string) string {
	return fmt.Sprintf("%d %s", n, pluralForm(n, one, many))
}

// countOf is n of total and the noun a count of total takes, as English
// says it: "1 of 1 setpoint", "1 of 3 setpoints".
func countOf(n, total int, one, many string) string {
	return fmt.Sprintf("%d of %d %s", n, total, pluralForm(total, one, many))
}

// pluralForm is one when n is 1, else many.
func pluralForm(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}
