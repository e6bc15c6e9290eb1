// Package termshot renders captured terminal output (as `tmux capture-pane
// -e -p` prints it) into a PNG-ready image for the docs.
//
// Data flow: Parse turns the bytes into a Screen, a grid of cells with
// their styles (only SGR escapes are honoured; every other escape sequence
// is skipped and counted). Draw paints the Screen cell by cell: each glyph
// is placed at its cell's exact pixel box (x = col*cellW), so a glyph that
// comes from a fallback font with another advance (braille from DejaVu
// Sans, CJK) is centred and, if needed, scaled down inside its box instead
// of pushing the rest of the row sideways, which is what text-layout based
// tools such as freeze do. Render is Parse followed by Draw.
//
// It is a docs tool: it reads font files from the paths in Options and does
// no other I/O.
package termshot
