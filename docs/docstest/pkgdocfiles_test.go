package docstest

import (
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// goFileName is a Go source file named in prose: "journal.go".
var goFileName = regexp.MustCompile(`\b[a-z][a-z0-9_]*\.go\b`)

// TestPackageDocsNameFilesThatExist: a package's doc comment is what a
// newcomer reads first (go doc ./...), and several say which file holds
// what (feeds: "decode.go, validate.go"). Every file a package doc names
// is in that package's directory: replay/scenario's named tetouan.go for
// the Tetouan importer, which lives in norway.go.
func TestPackageDocsNameFilesThatExist(t *testing.T) {
	root, err := moduleRoot()
	if err != nil {
		t.Fatal(err)
	}
	fset := token.NewFileSet()
	docs := 0
	err = filepath.WalkDir(root, func(path string, d os.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			if name := d.Name(); path != root && (strings.HasPrefix(name, ".") || name == "testdata" || name == "node_modules") {
				return filepath.SkipDir
			}
			return nil
		}
		if !strings.HasSuffix(path, ".go") || strings.HasSuffix(path, "_test.go") {
			return nil
		}
		f, err := parser.ParseFile(fset, path, nil, parser.PackageClauseOnly|parser.ParseComments)
		if err != nil {
			return err
		}
		if f.Doc == nil {
			return nil
		}
		docs++
		dir := filepath.Dir(path)
		for _, name := range goFileName.FindAllString(f.Doc.Text(), -1) {
			if _, err := os.Stat(filepath.Join(dir, name)); err != nil {
				rel, _ := filepath.Rel(root, path)
				t.Errorf("%s: the package doc names %s, which is not in %s", rel, name, filepath.Dir(rel))
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if docs < 10 {
		t.Fatalf("read %d package docs: the module has more, the walk is wrong", docs)
	}
}
