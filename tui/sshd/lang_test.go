package sshd

import (
	"context"
	"errors"
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"strconv"
	"strings"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"
)

func TestSessionLang(t *testing.T) {
	for _, tc := range []struct {
		env       []string
		def, want string
	}{
		{nil, "", LangEN},
		{nil, LangZhCN, LangZhCN},
		{[]string{"LANG=zh_CN.UTF-8"}, LangEN, LangZhCN},
		{[]string{"LANG=zh_TW.Big5"}, LangEN, LangZhCN},
		{[]string{"LANG=zh"}, "", LangZhCN},
		{[]string{"LANG=en_US.UTF-8"}, LangZhCN, LangEN},
		{[]string{"LANG=en_GB.UTF-8@euro"}, LangZhCN, LangEN},
		// LC_ALL over LC_MESSAGES over LANG, as POSIX reads them.
		{[]string{"LANG=en_US.UTF-8", "LC_ALL=zh_CN.UTF-8"}, LangEN, LangZhCN},
		{[]string{"LANG=zh_CN.UTF-8", "LC_MESSAGES=en_US.UTF-8"}, LangZhCN, LangEN},
		{[]string{"LC_CTYPE=zh_CN.UTF-8"}, LangEN, LangEN}, // not the messages' locale
		// A locale that names no language the desk speaks says nothing.
		{[]string{"LANG=C.UTF-8"}, LangZhCN, LangZhCN},
		{[]string{"LANG=POSIX"}, LangEN, LangEN},
		{[]string{"LANG=fr_FR.UTF-8"}, LangZhCN, LangZhCN},
		{[]string{"LANG=zh_CN.UTF-8", "LANG=en_US.UTF-8"}, LangZhCN, LangEN}, // the later wins
	} {
		if got := sessionLang(tc.env, tc.def); got != tc.want {
			t.Errorf("env %q, default %q: %q, want %q", tc.env, tc.def, got, tc.want)
		}
	}
}

// TestSentencesComplete finds every format the package words with say
// (a literal, or a constant naming one) and checks zh-CN has each, as
// TestTranslationsComplete does for the dashboard.
func TestSentencesComplete(t *testing.T) {
	fset := token.NewFileSet()
	consts := map[string]string{}
	var calls []*ast.CallExpr
	names, err := os.ReadDir(".")
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range names {
		if !strings.HasSuffix(e.Name(), ".go") || strings.HasSuffix(e.Name(), "_test.go") {
			continue
		}
		f, err := parser.ParseFile(fset, e.Name(), nil, 0)
		if err != nil {
			t.Fatal(err)
		}
		ast.Inspect(f, func(n ast.Node) bool {
			switch n := n.(type) {
			case *ast.GenDecl:
				if n.Tok == token.CONST {
					for _, sp := range n.Specs {
						v := sp.(*ast.ValueSpec)
						for i, name := range v.Names {
							if i < len(v.Values) {
								if lit, ok := v.Values[i].(*ast.BasicLit); ok && lit.Kind == token.STRING {
									consts[name.Name], _ = strconv.Unquote(lit.Value)
								}
							}
						}
					}
				}
			case *ast.CallExpr:
				if id, ok := n.Fun.(*ast.Ident); ok && id.Name == "say" && len(n.Args) >= 2 {
					calls = append(calls, n)
				}
			}
			return true
		})
	}
	for _, c := range calls {
		at := fset.Position(c.Pos())
		var format string
		switch a := c.Args[1].(type) {
		case *ast.BasicLit:
			format, _ = strconv.Unquote(a.Value)
		case *ast.Ident:
			var ok bool
			if format, ok = consts[a.Name]; !ok {
				t.Errorf("%s: say's format %s is not a string constant", at, a.Name)
				continue
			}
		default:
			t.Errorf("%s: say's format is not a literal or a constant: the test cannot read it", at)
			continue
		}
		if _, ok := zhCN[format]; !ok {
			t.Errorf("%s: %q has no zh-CN wording", at, format)
		}
	}
	if len(calls) < 15 {
		t.Fatalf("found only %d sentences; is the scan broken?", len(calls))
	}
}

// tellingModel is the test desk with a dashboard's Teller: it words the
// others' "ack" in its session's language, and announces one on 'a'.
type tellingModel struct{ *deskModel }

func newTellingModel(s *Session) tea.Model {
	return tellingModel{newDeskModel(s).(*deskModel)}
}

func (m tellingModel) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	if k, ok := msg.(tea.KeyMsg); ok && k.String() == "a" {
		if err := m.s.Act(ActionAckAlarm, "alarm_ack", "acknowledged alarm F07", ackSay{"F07"}, map[string]any{"alarm": "F07"}); err != nil {
			m.status = "refused: " + err.Error()
		}
		return m, nil
	}
	_, cmd := m.deskModel.Update(msg)
	return m, cmd
}

func (m tellingModel) View() string {
	return "lang " + m.s.Lang + " " + m.deskModel.View()
}

// ackSay is what the test desk announces: the alarm, not a sentence.
type ackSay struct{ alarm string }

func (m tellingModel) Tell(who string, say any) (string, bool) {
	a, ok := say.(ackSay)
	if !ok {
		return "", false
	}
	if m.s.Lang == LangZhCN {
		return who + " 已确认 " + a.alarm, true
	}
	return who + " acknowledged " + a.alarm, true
}

// TestSessionsReadTheirOwnLanguage: one desk, a Chinese session (from the
// client's LANG), an English one (from its LC_ALL, over the server's
// zh-CN) and one with no locale (the server's zh-CN). The same
// acknowledgement, and the same shutdown, reach each in its language; the
// journal keeps the English.
func TestSessionsReadTheirOwnLanguage(t *testing.T) {
	ana := newUser(t, "ana", RoleDispatcher)
	omar := newUser(t, "omar", RoleDispatcher)
	bo := newUser(t, "bo", RoleViewer)
	cy := newUser(t, "cy", RoleDispatcher)
	ts := startServer(t, []user{ana, omar, bo, cy}, func(c *Config) {
		c.Factory, c.Lang = newTellingModel, LangZhCN
	})
	zh := openDeskEnv(t, ts.addr, ana, false, []string{"LANG=zh_CN.UTF-8"})
	en := openDeskEnv(t, ts.addr, omar, false, []string{"LANG=zh_CN.UTF-8", "LC_ALL=en_US.UTF-8"})
	def := openDesk(t, ts.addr, bo, false)
	zh.out.waitFor(t, "lang zh-CN")
	en.out.waitFor(t, "lang en")
	def.out.waitFor(t, "lang zh-CN")
	// cy joins: the others are told in their language.
	actor := openDeskEnv(t, ts.addr, cy, false, []string{"LANG=en_US.UTF-8"})
	actor.out.waitFor(t, "DESK cy")
	zh.out.waitFor(t, "cy (调度员) 已加入 · 在线: ana, bo, cy, omar")
	en.out.waitFor(t, "cy (dispatcher) joined · online: ana, bo, cy, omar")

	zhMark, enMark, defMark := zh.out.mark(), en.out.mark(), def.out.mark()
	actor.key(t, "a")
	zh.out.waitForSince(t, zhMark, "cy 已确认 F07")
	en.out.waitForSince(t, enMark, "cy acknowledged F07")
	def.out.waitForSince(t, defMark, "cy 已确认 F07")
	if d := ts.audit.detail(t, "alarm_ack cy"); d["summary"] != "acknowledged alarm F07" {
		t.Errorf("journalled summary %q, want the English", d["summary"])
	}

	done := make(chan error, 1)
	go func() {
		ctx, cancel := context.WithTimeout(context.Background(), waitLong)
		defer cancel()
		done <- ts.Shutdown(ctx, nil, 2*time.Second)
	}()
	zh.out.waitFor(t, "2 秒后断开连接: 控制台正在关闭")
	en.out.waitFor(t, "disconnecting in 2 s: the desk is shutting down")
	zh.out.waitFor(t, "v2gdesk: 已断开: 控制台正在关闭")
	en.out.waitFor(t, "v2gdesk: disconnected: the desk is shutting down")
	if err := <-done; err != nil {
		t.Fatalf("shutdown: %v", err)
	}
	if d := ts.audit.detail(t, AuditLogout+" ana"); d["reason"] != "disconnected: the desk is shutting down" {
		t.Errorf("ana's logout journalled as %q, want the English", d["reason"])
	}
}

// TestRefusalInTheClientsLanguage: a refusal before the dashboard starts
// is worded in the language of the client's locale.
func TestRefusalInTheClientsLanguage(t *testing.T) {
	ana := newUser(t, "ana", RoleDispatcher)
	ts := startServer(t, []user{ana}, nil)
	d := openDeskEnv(t, ts.addr, ana, true, []string{"LANG=zh_CN.UTF-8"})
	d.out.waitFor(t, "v2gdesk: 控制台需要终端: 请用 `ssh -t` 连接, 不要附带命令")
	if code := d.wait(t); code != 1 {
		t.Errorf("exit status %d, want 1", code)
	}
}

// TestRefusalsIn: the transport's refusals say themselves in either
// language; Error stays the English.
func TestRefusalsIn(t *testing.T) {
	vera := Operator{Name: "vera", Role: RoleViewer}
	for _, tc := range []struct {
		err    interface{ In(string) string }
		en, zh string
	}{
		{vera.Authorize(ActionAckAlarm).(*ForbiddenError),
			"vera (viewer) may not acknowledge or shelve alarms: that needs the dispatcher role", "vera (观察员) 无权确认或搁置告警: 需要调度员角色"},
		{vera.Authorize(ActionChangeLimits).(*ForbiddenError),
			"vera (viewer) may not change limits: that needs the admin role", "vera (观察员) 无权修改限额: 需要管理员角色"},
		{vera.Authorize("reboot").(*ForbiddenError),
			`vera (viewer) may not do "reboot": nobody may`, `vera (观察员) 无权执行 "reboot": 任何人都不能`},
		{&UnrecordedError{Summary: "acknowledged F07", Err: errors.New("disk full")},
			"acknowledged F07: audit journal unavailable, nothing was done: disk full", "acknowledged F07: 审计日志不可用, 未执行任何操作: disk full"},
	} {
		if got := tc.err.In(LangEN); got != tc.en || tc.err.(error).Error() != tc.en {
			t.Errorf("en: %q, want %q", got, tc.en)
		}
		if got := tc.err.In(LangZhCN); got != tc.zh {
			t.Errorf("zh-CN: %q, want %q", got, tc.zh)
		}
	}
}

// TestLocaleLang: the rule cmd/v2gdesk reads its own environment by is
// the sessions' rule, default included.
func TestLocaleLang(t *testing.T) {
	for _, tc := range []struct {
		env       []string
		def, want string
	}{
		{[]string{"PATH=/usr/bin", "LANG=zh_CN.UTF-8"}, LangEN, LangZhCN},
		{[]string{"LANG=zh_CN.UTF-8", "LC_ALL=C"}, LangEN, LangEN},
		{[]string{"LANG=zh_CN.UTF-8", "LC_ALL="}, LangEN, LangZhCN}, // empty is unset
		{[]string{"LANG=de_DE.UTF-8"}, LangEN, LangEN},
		{nil, LangEN, LangEN},
	} {
		if got := LocaleLang(tc.env, tc.def); got != tc.want {
			t.Errorf("env %q, default %q: %q, want %q", tc.env, tc.def, got, tc.want)
		}
	}
}
