package main

import "fmt"

// plural is "1 EV" or "3 EVs".
func plural(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return fmt.Sprintf("%d %s", n, many)
}

// pluralForm is one when n is 1, else many: the word, or the whole format,
// a count of n takes. "1 connections" in the sim's last line read as a
// slip.
func pluralForm[N int | int64 | uint64](n N, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}

// sayPlural is say with the format a count of n takes, one or many; zh-CN
// translates both alike (TestCommandTextsComplete finds both).
func sayPlural[N int | int64 | uint64](lang string, n N, one, many string, args ...any) string {
	return say(lang, pluralForm(n, one, many), args...)
}
