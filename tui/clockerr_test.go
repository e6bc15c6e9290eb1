package tui

import (
	"fmt"
	"strings"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/ansi"

	"github.com/v2gdesk/v2gdesk/replay"
	"github.com/v2gdesk/v2gdesk/replay/sim"
)

// seekRefuser is a replay clock that refuses every seek and speed with err.
type seekRefuser struct {
	fakeControl
	err error
}

func (c *seekRefuser) Seek(time.Time) error   { return c.err }
func (c *seekRefuser) SetSpeed(float64) error { return c.err }

// TestClockErrorsInTheOperatorsLanguage: what the replay's and the
// simulator's clocks refuse reads, in the footer, in Chinese on a zh-CN
// desk from the figures the errors carry, and in English as the error
// says it.
func TestClockErrorsInTheOperatorsLanguage(t *testing.T) {
	sh := mustLoc("Asia/Shanghai")
	from := time.Date(2024, 2, 4, 16, 2, 0, 0, sh)
	for _, tc := range []struct {
		name, keys string
		err        error
		zh         string
	}{
		{"outside the recording", ":seek 15:00E", &replay.SeekRangeError{From: from, To: from.Add(2 * time.Minute), Loc: sh},
			"跳转 15:00: 超出录制范围 (2024-02-04 16:02..16:04)"},
		{"replay ended", ":seek 16:03E", &replay.EndedError{At: from.Add(2 * time.Minute)},
			"跳转 16:03: 回放已于 2024-02-04 16:04:00 结束"},
		{"backwards", ":seek 15:00E", fmt.Errorf("wrapped: %w", &sim.SeekBackwardsError{At: from}),
			"跳转 15:00: 仿真不能向后跳转：当前为 16:02"},
		{"past the day", ":seek 16:03E", &sim.PastEndError{End: from.Add(8 * time.Hour)},
			"跳转 16:03: 仿真日于 2024-02-05 00:02 结束"},
		{"before the day", ":seek 15:00E", fmt.Errorf("wrapped: %w", &sim.BeforeStartError{Start: from}),
			"跳转 15:00: 仿真日从 2024-02-04 16:02 开始"},
		// The desk checks :speed itself; a clock's own refusal still words.
		{"speed", ":speed 5E", fmt.Errorf("sim: %w", &replay.SpeedError{Speed: 5}),
			"倍速 5×: 倍速 5× 超出范围 (允许 0.5× 到 3600×)"},
	} {
		for _, lang := range []string{"en", "zh-CN"} {
			for _, w := range []int{80, 160} {
				m, fx, _ := newTestModel(t, lang, w, 45)
				opts, _ := testOptions(fx, lang)
				opts.Control = &seekRefuser{fakeControl: fakeControl{now: from, speed: 60}, err: tc.err}
				m = New(opts)
				m.Update(tea.WindowSizeMsg{Width: w, Height: 45})
				m.Update(SnapshotMsg{Snapshot: fx.snap})
				runKeys(m, tc.keys)
				want := tc.zh
				if lang == "en" {
					// As before the errors carried figures: lead, then the error.
					want = strings.SplitN(tc.zh, ": ", 2)[0]
					want = strings.NewReplacer("跳转", "seek", "倍速", "speed").Replace(want) + ": " + tc.err.Error()
				}
				if m.flash != want {
					t.Errorf("%s, %s: flash %q, want %q", tc.name, lang, m.flash, want)
				}
				foot := ansi.Strip(m.footerLine())
				if cut := ansi.Truncate(want, w-8, ""); !strings.Contains(foot, cut) {
					t.Errorf("%s, %s, %d columns: footer %q, want it to show %q", tc.name, lang, w, foot, cut)
				}
				if fw := ansi.StringWidth(foot); fw > w {
					t.Errorf("%s, %s: footer %d cells on %d columns: %q", tc.name, lang, fw, w, foot)
				}
			}
		}
	}
}

// TestSeekParseErrorInTheOperatorsLanguage: a :seek the desk cannot read.
func TestSeekParseErrorInTheOperatorsLanguage(t *testing.T) {
	for _, tc := range []struct{ lang, want string }{
		{"en", `seek "25:99": want HH:MM, HH:MM:SS or an RFC 3339 time`},
		{"zh-CN", `跳转 "25:99"：应为 HH:MM、HH:MM:SS 或 RFC 3339 时间`},
	} {
		m, _, _ := newTestModel(t, tc.lang, 160, 45)
		runKeys(m, ":seek 25:99E")
		if m.flash != tc.want {
			t.Errorf("%s: flash %q, want %q", tc.lang, m.flash, tc.want)
		}
	}
}
