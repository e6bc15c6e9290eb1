package tui

import (
	"slices"
	"strings"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"

	"github.com/v2gdesk/v2gdesk/feeds"
)

// TestReplayClockActionsSayReplay: a replay desk's pause, resume and seek
// are told, and journalled (the English summary v2gdesk audit shows), as
// the replay's: "moved the replay to 17:00", zh-CN "将回放跳转到 17:00". A
// presenter's journal read "paused the simulation" and "moved the
// simulation to 17:00" of a recording. A simulation's stay the
// simulation's.
func TestReplayClockActionsSayReplay(t *testing.T) {
	fx := demo(t)
	for _, tt := range []struct {
		mode feeds.Mode
		lang string
		want []string // the English, as journalled
		told string   // the seek, as this operator's language tells it
	}{
		{feeds.ModeReplay, "zh-CN", []string{"clock_pause: paused the replay", "clock_resume: resumed the replay", "clock_seek: moved the replay to 17:00"}, "将回放跳转到 17:00"},
		{feeds.ModeReplay, "en", []string{"clock_pause: paused the replay", "clock_resume: resumed the replay", "clock_seek: moved the replay to 17:00"}, "moved the replay to 17:00"},
		{feeds.ModeSimulation, "en", []string{"clock_pause: paused the simulation", "clock_resume: resumed the simulation", "clock_seek: moved the simulation to 17:00"}, "moved the simulation to 17:00"},
	} {
		opts, _ := testOptions(fx, tt.lang)
		opts.Mode = tt.mode
		var acted []string
		opts.Act = func(_ string, a Announcement, _ map[string]any) error {
			acted = append(acted, a.Kind+": "+a.English)
			return nil
		}
		m := New(opts)
		m.Update(tea.WindowSizeMsg{Width: 160, Height: 45})
		snap := *fx.snap
		snap.FeedMode = feeds.ModeLive
		m.Update(SnapshotMsg{Snapshot: &snap})
		runKeys(m, "  :seek 17:00E")
		if !slices.Equal(acted, tt.want) {
			t.Errorf("%s %s: journalled %q, want %q", tt.mode, tt.lang, acted, tt.want)
		}
		to := time.Date(2000, 1, 1, 17, 0, 0, 0, m.loc())
		if got := m.tell(Announcement{Kind: ActClockSeek, To: to}); !strings.Contains(got, tt.told) {
			t.Errorf("%s %s: the seek told as %q, want %q", tt.mode, tt.lang, got, tt.told)
		}
	}
}
