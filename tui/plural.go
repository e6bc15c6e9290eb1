package tui

import "fmt"

// count is what the desk counts in: ints, and the feed's uint64 counters.
type count interface{ ~int | ~int64 | ~uint64 }

// plural formats one when n is 1, else many, with args. Formats name
// their arguments by index ("%[2]s"), so either may leave one out. English
// needs it ("1 setpoints expire" read as a slip on a page a dispatcher signs
// off); zh-CN translates both forms the same.
func plural[N count](n N, one, many string, args ...any) string {
	return fmt.Sprintf(pluralForm(n, one, many), args...)
}

// pluralForm is one when n is 1, else many: the format for a count, where a
// sentence counts two things and each picks its form.
func pluralForm[N count](n N, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}
