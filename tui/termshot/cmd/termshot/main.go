// Command termshot renders a terminal capture (`tmux capture-pane -e -p`)
// to a PNG with cell-exact glyph placement; see docs/screenshots.md.
//
//	go run ./tui/termshot/cmd/termshot -in FILE.ansi -out FILE.png [-title TEXT]
package main

import (
	"errors"
	"flag"
	"fmt"
	"image/png"
	"io"
	"os"

	"github.com/v2gdesk/v2gdesk/tui/termshot"
)

func main() { os.Exit(run(os.Args[1:], os.Stderr)) }

// run renders one file; it returns 2 for usage errors and 1 for failures.
func run(args []string, stderr io.Writer) int {
	fl := flag.NewFlagSet("termshot", flag.ContinueOnError)
	fl.SetOutput(stderr)
	in := fl.String("in", "", "terminal capture to read (`FILE`.ansi)")
	out := fl.String("out", "", "PNG to write (`FILE`.png)")
	var o termshot.Options
	fl.StringVar(&o.Title, "title", "", "window title; empty draws no title bar")
	fl.Float64Var(&o.FontSize, "font-size", 14, "font size in pixels")
	fl.IntVar(&o.Padding, "padding", 16, "margin around the grid in pixels")
	fl.IntVar(&o.Cols, "cols", 0, "minimum grid width in cells (use the pane width)")
	fl.IntVar(&o.Rows, "rows", 0, "minimum grid height in cells (use the pane height)")
	fl.StringVar(&o.RegularFont, "font", termshot.DefaultRegularFont, "primary font file")
	fl.StringVar(&o.BoldFont, "bold-font", termshot.DefaultBoldFont, "primary bold font file")
	if err := fl.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return 0
		}
		return 2
	}
	if *in == "" || *out == "" || fl.NArg() > 0 {
		fmt.Fprintln(stderr, "termshot: usage: termshot -in FILE.ansi -out FILE.png [-title TEXT]")
		return 2
	}
	data, err := os.ReadFile(*in)
	if err != nil {
		fmt.Fprintf(stderr, "termshot: %v\n", err)
		return 1
	}
	s, err := termshot.Parse(data)
	if err != nil {
		fmt.Fprintf(stderr, "termshot: %s: %v\n", *in, err)
		return 1
	}
	img, st, err := termshot.Draw(s, o)
	if err != nil {
		fmt.Fprintf(stderr, "termshot: %s: %v\n", *in, err)
		return 1
	}
	f, err := os.Create(*out)
	if err != nil {
		fmt.Fprintf(stderr, "termshot: %v\n", err)
		return 1
	}
	if err := png.Encode(f, img); err != nil {
		f.Close()
		fmt.Fprintf(stderr, "termshot: %s: %v\n", *out, err)
		return 1
	}
	if err := f.Close(); err != nil {
		fmt.Fprintf(stderr, "termshot: %s: %v\n", *out, err)
		return 1
	}
	fmt.Fprintf(stderr, "termshot: %s: %dx%d cells -> %s %dx%d px; ignored sequences %d, malformed %d, unsupported SGR %d, controls %d, missing glyphs %d\n",
		*in, max(s.Cols, o.Cols), max(len(s.Rows), o.Rows), *out, img.Bounds().Dx(), img.Bounds().Dy(),
		st.IgnoredSequences, st.Malformed, st.UnsupportedSGR, st.Controls, st.MissingGlyphs)
	return 0
}
