// Package numtext writes numbers the way the desk's records and command-line
// reports read them: the DR controller's journal reasons and
// `v2gdesk dispatch` share it, so a figure reads the same in both. Int is
// the one integer formatter: the dashboard's counts (package tui, which
// also knows its dashes for missing values) and `v2gdesk status` call it
// too, each with its own minus.
package numtext
