package tui

import (
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"slices"
	"strconv"
	"strings"
	"testing"
)

// TestActionsListsEveryAction reads the package's source for every action
// the dashboard asks Options.Act or Options.Refused about (through act,
// guardAct and alarmAction) and wants each in Actions(): the SSH desk gives
// the actions listed there a permission, and one it asks about unlisted
// would be refused to every operator.
func TestActionsListsEveryAction(t *testing.T) {
	// asks are the calls whose first argument is an action.
	asks := map[string]bool{"Act": true, "Refused": true, "act": true, "guardAct": true, "refusal": true, "alarmAction": true}
	fset := token.NewFileSet()
	var files []*ast.File
	consts := map[string]string{} // package-level string constants by name
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
		files = append(files, f)
		for _, d := range f.Decls {
			if g, ok := d.(*ast.GenDecl); ok && g.Tok == token.CONST {
				for _, spec := range g.Specs {
					v := spec.(*ast.ValueSpec)
					for i, n := range v.Names {
						if i < len(v.Values) {
							if s, ok := stringValue(v.Values[i], nil); ok {
								consts[n.Name] = s
							}
						}
					}
				}
			}
		}
	}
	listed := Actions()
	found := 0
	for _, f := range files {
		for _, d := range f.Decls {
			fn, ok := d.(*ast.FuncDecl)
			if !ok || fn.Body == nil {
				continue
			}
			// An ask that passes on its own first parameter is checked
			// at its callers.
			passOn := ""
			if asks[fn.Name.Name] && len(fn.Type.Params.List) > 0 {
				passOn = fn.Type.Params.List[0].Names[0].Name
			}
			ast.Inspect(fn.Body, func(n ast.Node) bool {
				call, ok := n.(*ast.CallExpr)
				if !ok || len(call.Args) == 0 {
					return true
				}
				sel, ok := call.Fun.(*ast.SelectorExpr)
				if !ok || !asks[sel.Sel.Name] {
					return true
				}
				at := fset.Position(call.Pos())
				arg := call.Args[0]
				if id, ok := arg.(*ast.Ident); ok && id.Name == passOn {
					return true
				}
				values, ok := actionValues(fn.Body, arg, consts)
				if !ok {
					t.Errorf("%s: %s asks about an action the test cannot read; pass a constant", at, sel.Sel.Name)
					return true
				}
				for _, v := range values {
					found++
					if !slices.Contains(listed, v) {
						t.Errorf("%s: %s asks about %q, which Actions() does not list", at, sel.Sel.Name, v)
					}
				}
				return true
			})
		}
	}
	if found == 0 {
		t.Fatal("found no action asked about: the test reads nothing")
	}
}

// actionValues returns the strings arg can be: a constant, or a local
// variable given only constants in body.
func actionValues(body *ast.BlockStmt, arg ast.Expr, consts map[string]string) ([]string, bool) {
	if s, ok := stringValue(arg, consts); ok {
		return []string{s}, true
	}
	id, ok := arg.(*ast.Ident)
	if !ok {
		return nil, false
	}
	var values []string
	readable := true
	ast.Inspect(body, func(n ast.Node) bool {
		as, ok := n.(*ast.AssignStmt)
		if !ok {
			return true
		}
		for i, l := range as.Lhs {
			if lid, ok := l.(*ast.Ident); ok && lid.Name == id.Name {
				s, ok := "", false
				if len(as.Rhs) == len(as.Lhs) {
					s, ok = stringValue(as.Rhs[i], consts)
				}
				readable = readable && ok
				values = append(values, s)
			}
		}
		return true
	})
	return values, readable && len(values) > 0
}

// stringValue returns the value of a string literal or of a named string
// constant.
func stringValue(e ast.Expr, consts map[string]string) (string, bool) {
	switch e := e.(type) {
	case *ast.BasicLit:
		if e.Kind == token.STRING {
			s, err := strconv.Unquote(e.Value)
			return s, err == nil
		}
	case *ast.Ident:
		s, ok := consts[e.Name]
		return s, ok
	}
	return "", false
}
