package termshot

import (
	"bufio"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// tmuxServerOfItsOwn matches a tmux command that names a socket of the
// run's own: -L followed by a shell variable ($S, "$sock") or, in Go, a
// field holding a name made per run.
var tmuxServerOfItsOwn = regexp.MustCompile(`tmux"?,? +"?-L"?,? +("?\$\{?[A-Za-z_]+|[a-z]+\.socket)`)

// TestTmuxUsersKeepToTheirOwnServer: docs/screenshots.md ran every tmux
// command on the socket "shots" and ended with `tmux -L shots
// kill-server`, so two people making pictures at once killed each other's
// captures. The recipe, and every script and test of the module that
// drives tmux, names a socket of its run's own; none runs tmux on the
// default server or on a fixed name.
func TestTmuxUsersKeepToTheirOwnServer(t *testing.T) {
	root := filepath.Join("..", "..")
	files := []string{filepath.Join(root, "docs", "screenshots.md")}
	err := filepath.WalkDir(root, func(path string, d os.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() && strings.HasPrefix(d.Name(), ".") && path != root {
			return filepath.SkipDir
		}
		if ext := filepath.Ext(path); !d.IsDir() && (ext == ".sh" || ext == ".go") {
			files = append(files, path)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	seen := 0
	for _, path := range files {
		if filepath.Base(path) == "shotsrecipe_test.go" {
			continue
		}
		f, err := os.Open(path)
		if err != nil {
			t.Fatal(err)
		}
		md := filepath.Ext(path) == ".md"
		inCode := false
		sc := bufio.NewScanner(f)
		for n := 1; sc.Scan(); n++ {
			code := strings.TrimSpace(sc.Text())
			if md && strings.HasPrefix(code, "```") {
				inCode = !inCode
				continue
			}
			// A page's prose names commands; its code blocks are run.
			if md && !inCode || strings.HasPrefix(code, "#") || strings.HasPrefix(code, "//") {
				continue
			}
			cmd := strings.Contains(code, "tmux ") && (strings.Contains(code, "new-session") || strings.Contains(code, "kill-server") || strings.Contains(code, "capture-pane") || strings.Contains(code, "send-keys")) ||
				strings.Contains(code, `"tmux", "-L"`) || strings.Contains(code, `"kill-server"`)
			if !cmd {
				continue
			}
			seen++
			if !tmuxServerOfItsOwn.MatchString(code) {
				t.Errorf("%s:%d: tmux on a server not of the run's own: %s", path, n, code)
			}
		}
		f.Close()
		if err := sc.Err(); err != nil {
			t.Fatal(err)
		}
	}
	if seen == 0 {
		t.Fatal("no tmux command found: the test reads nothing")
	}
	recipe, err := os.ReadFile(filepath.Join(root, "docs", "screenshots.md"))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(recipe), "S=v2gdesk-shots-$$") {
		t.Error("docs/screenshots.md: no socket name made per run (S=v2gdesk-shots-$$)")
	}
}

// TestShotsRecipeBuildsIntoItsOwnDirectory: docs/screenshots.md built the
// binaries at fixed paths (/tmp/v2gdesk-shots, /tmp/termshot), so one
// person's `go build` replaced the binary another's tmux sessions were
// running, as a shared tmux server killed their sessions. Every `go build
// -o` of the recipe writes under a directory of a shell variable (made per
// run with mktemp), and no command of it names a fixed path under /tmp.
func TestShotsRecipeBuildsIntoItsOwnDirectory(t *testing.T) {
	f, err := os.Open(filepath.Join("..", "..", "docs", "screenshots.md"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	buildOut := regexp.MustCompile(`go build -o +(\S+)`)
	builds := 0
	inCode := false
	sc := bufio.NewScanner(f)
	for n := 1; sc.Scan(); n++ {
		line := strings.TrimSpace(sc.Text())
		if strings.HasPrefix(line, "```") {
			inCode = !inCode
			continue
		}
		if !inCode {
			continue
		}
		if m := buildOut.FindStringSubmatch(line); m != nil {
			builds++
			if !strings.HasPrefix(m[1], "$") {
				t.Errorf("docs/screenshots.md:%d: go build -o %s: a path shared by every run, not a directory of this run's own", n, m[1])
			}
		}
		if strings.Contains(line, "/tmp/") {
			t.Errorf("docs/screenshots.md:%d: a fixed path under /tmp, shared with other runs: %s", n, line)
		}
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	if builds == 0 {
		t.Fatal("docs/screenshots.md builds nothing with go build -o: the test reads nothing")
	}
}
