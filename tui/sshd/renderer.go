package sshd

import (
	"io"
	"slices"
	"strconv"
	"strings"

	"github.com/charmbracelet/lipgloss"
	"github.com/charmbracelet/ssh"
	"github.com/muesli/termenv"
)

// renderer returns the lipgloss renderer for one session: the colour profile
// comes from the client's TERM (and COLORTERM, if the client sends it), so a
// 256-colour xterm and a 16-colour console each get styles they can show.
//
// It does what wish/bubbletea.MakeRenderer does for an emulated PTY except
// ask the terminal for its background colour: on an SSH channel that query
// cannot be cancelled (the input is not a file), so MakeRenderer waits until
// the operator presses a key, then swallows that key. The background is
// taken from COLORFGBG when the client sends it (`ssh -o SendEnv=COLORFGBG`),
// and is otherwise assumed dark, as control-room terminals are.
func renderer(sess ssh.Session) *lipgloss.Renderer {
	pty, _, _ := sess.Pty()
	return clientRenderer(sess, pty.Term, sess.Environ())
}

// clientRenderer is renderer for a client whose terminal is term (none or
// "dumb": no styling) and whose environment is environ: NO_COLOR there
// turns styling off, as it does on a local desk (termenv reads it).
func clientRenderer(w io.Writer, term string, environ []string) *lipgloss.Renderer {
	if term == "" || term == "dumb" {
		return lipgloss.NewRenderer(w, termenv.WithProfile(termenv.Ascii))
	}
	env := sshEnviron(append(slices.Clone(environ), "TERM="+term))
	r := lipgloss.NewRenderer(w, termenv.WithEnvironment(env), termenv.WithUnsafe())
	r.SetHasDarkBackground(darkBackground(env.Getenv("COLORFGBG")))
	return r
}

// darkBackground reads COLORFGBG ("15;0": white on black); the last field
// is the background's ANSI colour. Unknown means dark.
func darkBackground(colorfgbg string) bool {
	i := strings.LastIndexByte(colorfgbg, ';')
	if i < 0 {
		return true
	}
	c, err := strconv.Atoi(colorfgbg[i+1:])
	if err != nil {
		return true
	}
	// ANSI 7 (light grey) and 9..15 (bright colours) are light backgrounds.
	return !(c == 7 || (c >= 9 && c <= 15))
}

// sshEnviron is the client's environment as termenv reads it.
type sshEnviron []string

// Environ implements termenv.Environ.
func (e sshEnviron) Environ() []string { return e }

// Getenv implements termenv.Environ; later entries win, as TERM is appended.
func (e sshEnviron) Getenv(k string) string {
	v := ""
	for _, kv := range e {
		if strings.HasPrefix(kv, k+"=") {
			v = kv[len(k)+1:]
		}
	}
	return v
}
