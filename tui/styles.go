package tui

import (
	"github.com/charmbracelet/lipgloss"
)

// palette holds the colours: the Okabe–Ito set, which stays distinct for
// the common forms of colour blindness, with ANSI 16 fallbacks. The
// renderer's profile picks the form (none at all under NO_COLOR).
var (
	colHigh  = lipgloss.CompleteColor{TrueColor: "#D55E00", ANSI256: "166", ANSI: "9"}  // vermillion
	colWarn  = lipgloss.CompleteColor{TrueColor: "#E69F00", ANSI256: "178", ANSI: "11"} // orange
	colOK    = lipgloss.CompleteColor{TrueColor: "#56B4E9", ANSI256: "74", ANSI: "14"}  // sky blue
	colStale = lipgloss.CompleteColor{TrueColor: "#999999", ANSI256: "246", ANSI: "7"}  // grey
	colFault = lipgloss.CompleteColor{TrueColor: "#CC79A7", ANSI256: "175", ANSI: "13"} // purple
	colPlan  = lipgloss.CompleteColor{TrueColor: "#0072B2", ANSI256: "25", ANSI: "12"}  // blue
	colMeas  = lipgloss.CompleteColor{TrueColor: "#F0E442", ANSI256: "185", ANSI: "11"} // yellow
	colDim   = lipgloss.CompleteColor{TrueColor: "#808080", ANSI256: "244", ANSI: "8"}
	colLive  = lipgloss.CompleteColor{TrueColor: "#009E73", ANSI256: "36", ANSI: "2"} // bluish green
)

// styles is every style the views use, built from one session's renderer.
type styles struct {
	r *lipgloss.Renderer

	base, dim, bold, title, border     lipgloss.Style
	tab, tabActive, crumb              lipgloss.Style
	badgeLive, badgeReplay, badgeSim   lipgloss.Style
	frozen, paused                     lipgloss.Style
	high, warn, ok, stale, fault, plan lipgloss.Style
	measured, limit                    lipgloss.Style
	selected, header                   lipgloss.Style
	key, desc, sep                     lipgloss.Style
	flashOK, flashErr, input           lipgloss.Style
}

func newStyles(r *lipgloss.Renderer) styles {
	n := r.NewStyle
	return styles{
		r:           r,
		base:        n(),
		dim:         n().Foreground(colDim),
		bold:        n().Bold(true),
		title:       n().Bold(true),
		border:      n().Foreground(colDim),
		tab:         n(),
		tabActive:   n().Bold(true).Underline(true),
		crumb:       n().Foreground(colDim),
		badgeLive:   n().Bold(true).Foreground(colLive),
		badgeReplay: n().Bold(true).Foreground(colPlan),
		badgeSim:    n().Bold(true).Foreground(colWarn),
		frozen:      n().Bold(true).Reverse(true),
		paused:      n().Bold(true),
		high:        n().Bold(true).Foreground(colHigh),
		warn:        n().Foreground(colWarn),
		ok:          n().Foreground(colOK),
		stale:       n().Foreground(colStale),
		fault:       n().Foreground(colFault),
		plan:        n().Foreground(colPlan),
		measured:    n().Foreground(colMeas),
		limit:       n().Foreground(colHigh),
		selected:    n().Reverse(true),
		header:      n().Bold(true),
		key:         n().Bold(true),
		desc:        n().Foreground(colDim),
		sep:         n().Foreground(colDim),
		flashOK:     n().Foreground(colOK),
		flashErr:    n().Bold(true).Foreground(colHigh),
		input:       n().Bold(true),
	}
}
