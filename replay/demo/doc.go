// Package demo embeds the demo day: "Demo City", twelve feeders whose base
// loads are real distribution-zone curves and about 3,000 real residential
// charging sessions moved onto one weekday, with transformer limits that
// unmanaged evening charging overloads on a few feeders. replay/builddemo
// builds it from the open data credited in NOTICE; docs/replay.md describes
// how.
package demo
