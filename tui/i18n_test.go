package tui

import (
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"strconv"
	"strings"
	"testing"

	"github.com/v2gdesk/v2gdesk/adapters"
	"github.com/v2gdesk/v2gdesk/dispatch/plan/control"
	"github.com/v2gdesk/v2gdesk/feeds"
)

// TestTranslationsComplete finds every string literal the package passes
// to a translation (t("…"), tr.t("…"), key help) and every protocol word
// shown translated, and checks zh-CN has each.
func TestTranslationsComplete(t *testing.T) {
	fset := token.NewFileSet()
	files, err := os.ReadDir(".")
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]string{}
	for _, fi := range files {
		name := fi.Name()
		if !strings.HasSuffix(name, ".go") || strings.HasSuffix(name, "_test.go") {
			continue
		}
		f, err := parser.ParseFile(fset, name, nil, 0)
		if err != nil {
			t.Fatal(err)
		}
		ast.Inspect(f, func(n ast.Node) bool {
			call, ok := n.(*ast.CallExpr)
			if !ok {
				return true
			}
			var fn string
			switch x := call.Fun.(type) {
			case *ast.Ident:
				fn = x.Name
			case *ast.SelectorExpr:
				fn = x.Sel.Name
			}
			args := call.Args
			switch fn {
			case "t":
			case "b": // key bindings: b(keys, key, desc)
				if len(args) == 3 {
					args = args[2:]
				}
			case "kv":
				args = args[:1]
			default:
				return true
			}
			for _, a := range args {
				if lit, ok := a.(*ast.BasicLit); ok && lit.Kind == token.STRING {
					s, _ := strconv.Unquote(lit.Value)
					want[s] = fset.Position(lit.Pos()).String()
				}
			}
			return true
		})
	}
	// The controller's reasons are worded by control.Why.Text, each
	// sentence translated by its English.
	for _, s := range control.WhyFormats() {
		want[s] = "control.WhyFormats"
	}
	// And the release time's, by control.ReleaseDue.Text, ExtendText
	// and ReleasedByText.
	for _, s := range control.ReleaseFormats() {
		want[s] = "control.ReleaseFormats"
	}
	for _, s := range []string{reasonDeclined, reasonCancelled, reasonReplaced} {
		want[s] = "desk reason"
	}
	for _, s := range viewNames {
		want[s] = "viewNames"
	}
	for _, c := range paletteCommands {
		want[c.desc] = "paletteCommands"
	}
	for _, s := range feeds.ChargerStates {
		want[string(s)] = "charger state"
	}
	for _, s := range adapters.Statuses() {
		want[string(s)] = "setpoint status"
	}
	for _, s := range []string{"shed", "export", "price",
		RoleViewer, RoleDispatcher, RoleAdmin} {
		want[s] = "protocol word"
	}
	if len(want) < 150 {
		t.Fatalf("found only %d strings to translate; is the scan broken?", len(want))
	}
	zh := newTranslator("zh-CN").m
	for s, where := range want {
		if _, ok := zh[s]; !ok {
			t.Errorf("%s: %q has no zh-CN translation", where, s)
		}
	}
}

// TestFormHelpNamesKindsAsTheForm: the event form's help line names each
// kind as the form's type field does; in zh-CN it said 进口上限 (a trade
// import) and 放电 for what the field and every other screen call 受电上限
// and 上网.
func TestFormHelpNamesKindsAsTheForm(t *testing.T) {
	const help = "import cap: keep the scope at or under kW · shed: take kW off its unmanaged load · export: deliver kW · price: override the price"
	tr := newTranslator("zh-CN")
	zh := strings.Split(tr.t(help), " · ")
	for i, part := range strings.Split(help, " · ") {
		kind, _, _ := strings.Cut(part, ":")
		// A Chinese colon, with no space after it: the help wraps at
		// spaces, and a kind stays with its meaning.
		if i >= len(zh) || !strings.HasPrefix(zh[i], tr.t(kind)+"：") {
			t.Errorf("zh-CN help %q: part %d does not begin %q, as the form names %q", tr.t(help), i+1, tr.t(kind)+"：", kind)
		}
	}
}

// TestZhCNCallsAnAlarmOneWay: the tab, the list and every message say 告警
// for an alarm; the alarms filter's "nothing matches" and the refusal to
// acknowledge a shelved alarm said 报警, another word for the same thing,
// on the same page.
func TestZhCNCallsAnAlarmOneWay(t *testing.T) {
	for _, m := range []map[string]string{zhCN, zhCNDispatch} {
		for en, zh := range m {
			if strings.Contains(zh, "报警") {
				t.Errorf("%q reads %q: 报警, where the desk says 告警", en, zh)
			}
		}
	}
}
