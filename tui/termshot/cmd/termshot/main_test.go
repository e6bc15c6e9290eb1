package main

import (
	"bytes"
	"image/png"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/v2gdesk/v2gdesk/tui/termshot"
)

func TestRun(t *testing.T) {
	dir := t.TempDir()
	in := filepath.Join(dir, "x.ansi")
	if err := os.WriteFile(in, []byte("\x1b[41mhi\x1b[0m ⣿\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(dir, "x.png")
	tests := []struct {
		name     string
		args     []string
		code     int
		stderr   string
		needFont bool
	}{
		{"help", []string{"--help"}, 0, "-in", false},
		{"unknown flag", []string{"-nope"}, 2, "not defined", false},
		{"missing -out", []string{"-in", in}, 2, "usage", false},
		{"extra argument", []string{"-in", in, "-out", out, "more"}, 2, "usage", false},
		{"missing input", []string{"-in", filepath.Join(dir, "none.ansi"), "-out", out}, 1, "none.ansi", false},
		{"missing font", []string{"-in", in, "-out", out, "-font", "/nonexistent/M.ttf"}, 1, "/nonexistent/M.ttf", false},
		{"renders", []string{"-in", in, "-out", out, "-title", "t", "-cols", "10", "-rows", "2"}, 0, "10x2 cells", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if tt.needFont {
				if _, err := os.Stat(termshot.DefaultRegularFont); err != nil && os.Getenv("CI") != "true" {
					t.Skip("DejaVu fonts missing (apt-get install fonts-dejavu-core)")
				}
			}
			var stderr bytes.Buffer
			if code := run(tt.args, &stderr); code != tt.code {
				t.Fatalf("exit %d, want %d; stderr %s", code, tt.code, stderr.String())
			}
			if !strings.Contains(stderr.String(), tt.stderr) {
				t.Errorf("stderr %q lacks %q", stderr.String(), tt.stderr)
			}
			if tt.code == 0 && tt.needFont {
				f, err := os.Open(out)
				if err != nil {
					t.Fatal(err)
				}
				defer f.Close()
				cfg, err := png.DecodeConfig(f)
				if err != nil {
					t.Fatal(err)
				}
				if cfg.Width <= 10 || cfg.Height <= 2 {
					t.Errorf("png %dx%d", cfg.Width, cfg.Height)
				}
			}
		})
	}
}
