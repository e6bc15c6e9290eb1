package adapters_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/v2gdesk/v2gdesk/adapters"
)

// TestLoadConfigNamesTheWrongFile: a tired engineer's --adapters names a
// directory, or a CSV of the site's data. The first read "adapters config:
// read DIR: is a directory"; the second "at byte 0: a string, want an
// object" (its first field was quoted). Both now say the file is not an
// adapters file, the CSV quoting how it starts.
func TestLoadConfigNamesTheWrongFile(t *testing.T) {
	dir := t.TempDir()
	csv := filepath.Join(dir, "sessions.csv")
	if err := os.WriteFile(csv, []byte("\"location\";\"user_id\";\"session_id\"\n\"ASK\";\"ASK_1\";\"ASK_18266\"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct{ path, want string }{
		{dir, "adapters config: " + dir + " is a directory, not an adapters file (one JSON object)"},
		{csv, csv + `: adapters config: not a JSON document (one object, {…}): it starts with "\"location\";\"user_id\";\"session_id\"": at byte 0`},
	} {
		_, err := adapters.LoadConfig(tc.path)
		if err == nil || !strings.HasPrefix(err.Error(), tc.want) {
			t.Errorf("LoadConfig(%s): %v\nwant %s…", tc.path, err, tc.want)
		}
	}
}
