// Package numtext writes numbers the way the desk's records and command-line
// reports read them: the DR controller's journal reasons and
// `v2gdesk dispatch` share it, so a figure reads the same in both. The
// dashboard has formatters of its own (package tui), which also know its
// dashes for missing values.
package numtext
