package dispatch

import (
	"bytes"
	"fmt"
	"unicode/utf8"
)

// at names byte n of data (counted from 1, as the json package's offsets
// are) for the person who opens the file in an editor: "at byte 635 (line
// 18, column 31)". A byte offset alone had them count characters in a
// hand-written file; a generated one-line file still has its byte.
func at(data []byte, n int64) string {
	if n < 1 || n > int64(len(data)) {
		return fmt.Sprintf("at byte %d", n)
	}
	before := data[:n-1]
	line := bytes.Count(before, []byte("\n")) + 1
	// Columns count characters, as editors do, not bytes.
	col := utf8.RuneCount(before[bytes.LastIndexByte(before, '\n')+1:]) + 1
	return fmt.Sprintf("at byte %d (line %d, column %d)", n, line, col)
}
