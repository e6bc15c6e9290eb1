package sshd

import (
	"os"
	"os/exec"
	"path/filepath"
	"testing"
)

// TestE2EOpenSSH runs testdata/e2e.sh: the built binary driven by the system
// ssh client inside tmux. It needs tmux, ssh and ssh-keygen (apt-get install
// tmux openssh-client); without them it skips, except in CI, where it fails.
func TestE2EOpenSSH(t *testing.T) {
	if testing.Short() {
		t.Skip("end-to-end test; skipped with -short")
	}
	for _, tool := range []string{"bash", "tmux", "ssh", "ssh-keygen"} {
		if _, err := exec.LookPath(tool); err != nil {
			if os.Getenv("CI") == "true" {
				t.Fatalf("%s is needed in CI (apt-get install tmux openssh-client): %v", tool, err)
			}
			t.Skipf("%s not installed: %v", tool, err)
		}
	}
	bin := filepath.Join(t.TempDir(), "v2gdesk")
	build := exec.Command("go", "build", "-o", bin, "github.com/v2gdesk/v2gdesk/cmd/v2gdesk")
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("build: %v\n%s", err, out)
	}
	cmd := exec.Command("bash", filepath.Join("testdata", "e2e.sh"), bin)
	cmd.Env = append(os.Environ(), "FEED=") // the embedded demo day
	out, err := cmd.CombinedOutput()
	t.Logf("%s", out)
	if err != nil {
		t.Fatalf("e2e.sh: %v", err)
	}
}
