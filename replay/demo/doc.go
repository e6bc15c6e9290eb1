// Package demo embeds the demo day: "Demo City", twelve feeders whose base
// loads are real distribution-zone curves and 3,000 real residential
// charging sessions moved onto one weekday, with transformer limits that
// unmanaged evening charging overloads on a few feeders. It is a
// steady-state weekday: the sessions still plugged in at midnight are also
// plugged in from 00:00, as last evening's cars, each at the charger its
// session takes over in the evening (4,827 sessions at 3,065 chargers).
// replay/builddemo builds it from the open data credited in NOTICE;
// docs/replay.md describes how.
package demo
