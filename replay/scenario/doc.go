// Package scenario describes a day to re-enact: a site's feeders with their
// base-load curves and import limits, the EV charging sessions that arrive
// on them, and the time-of-use price bands.
//
// A Scenario is stored as JSON, optionally gzip-compressed
// (scenario.go). Its parts can also be written and read as two CSV files
// whose schemas docs/replay.md documents (csv.go). Importers read the real
// datasets the demo day is built from (norway.go: residential charging
// sessions; tetouan.go: 10-minute distribution-zone loads); only the
// builder program (replay/builddemo) reads the full files.
//
// The simulator (replay/sim) re-enacts a Scenario.
package scenario
