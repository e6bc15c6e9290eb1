package tui

import "strings"

// crumbSep joins the parts of the breadcrumb trail.
const crumbSep = " › "

// fitCrumbs shortens the breadcrumb trail parts to at most room cells.
// Whole, the trail is returned as is; too long, its first parts give way
// to "…", because the last ones say where the dispatcher is ("… › F05 ›
// CP-0412"). Dropped whole at 80 columns, the trail left a charger's page
// with no word of where it sat. When even "… › " and the last part do not
// fit, the last part alone is cut to room with an ellipsis (an id with
// digits goes whole, truncateWhole: "…", not "CP-0…"); room below one
// cell gives "".
func fitCrumbs(parts []string, room int) string {
	if room < 1 || len(parts) == 0 {
		return ""
	}
	if s := strings.Join(parts, crumbSep); width(s) <= room {
		return s
	}
	for i := 1; i < len(parts); i++ {
		if s := "…" + crumbSep + strings.Join(parts[i:], crumbSep); width(s) <= room {
			return s
		}
	}
	return truncateWhole(parts[len(parts)-1], room)
}
