// Package tui is the v2gdesk dashboard: Bubble Tea models, views, the key
// map, styles and charts.
//
// The data flow is one way:
//
//	feeds.Hub --(latest wins, <= 4/s)--> Options.Snapshots
//	  -> Model: one SnapshotMsg per tick; alarm.Engine.Observe
//	  -> View(): header · tabs · the current view · footer
//
// tui does no network or file I/O. It is handed a channel of immutable
// snapshots, an optional replay Control (found by type assertion: Pauser,
// SpeedSetter, Seeker, Clock), an optional Plan, the optional counters of
// the guard setpoints leave through (Setpoints), and a per-session
// lipgloss.Renderer from which every style is built, so several SSH sessions
// with different terminals share one process. Long calls on the Control run
// in tea.Cmds.
//
// Views render only what is visible: the chargers table is virtualised and
// stays smooth at 100,000 rows; derived figures are cached per snapshot.
// Status is never colour alone: each state carries a glyph and a word
// (▲ HIGH, △ WARN, ○ STALE, ✓ OK). Widths are measured in terminal cells
// (lipgloss.Width), so the Simplified Chinese interface aligns.
package tui
