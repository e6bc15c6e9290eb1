package sshd

import (
	"crypto/ed25519"
	"crypto/rand"
	"encoding/pem"
	"errors"
	"fmt"
	"io/fs"
	"os"

	gossh "golang.org/x/crypto/ssh"
)

// ErrHostKeyPermissions is wrapped when a host key file can be read by
// others than its owner.
var ErrHostKeyPermissions = errors.New("host key permissions too open")

// LoadOrCreateHostKey returns the host key stored at path, creating an
// Ed25519 key there with 0600 permissions on first run. Operators pin the
// host key in known_hosts, so it must survive restarts; a key other users can
// read is refused, as sshd does.
func LoadOrCreateHostKey(path string) (signer gossh.Signer, created bool, err error) {
	data, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		signer, err := createHostKey(path)
		return signer, err == nil, err
	}
	if err != nil {
		return nil, false, fmt.Errorf("host key %s: %w", path, err)
	}
	st, err := os.Stat(path)
	if err != nil {
		return nil, false, fmt.Errorf("host key %s: %w", path, err)
	}
	if perm := st.Mode().Perm(); perm&0o077 != 0 {
		return nil, false, fmt.Errorf("host key %s: permissions %04o: %w (want 0600: chmod 600 %s)", path, perm, ErrHostKeyPermissions, path)
	}
	signer, err = gossh.ParsePrivateKey(data)
	if err != nil {
		return nil, false, fmt.Errorf("host key %s: %w", path, err)
	}
	return signer, false, nil
}

// createHostKey writes a new Ed25519 key to path. O_EXCL makes two desks
// started at once on the same path fail rather than overwrite each other's
// key; the file is created 0600 so the key is never readable by others, not
// even briefly.
func createHostKey(path string) (gossh.Signer, error) {
	_, priv, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		return nil, fmt.Errorf("host key %s: generate: %w", path, err)
	}
	block, err := gossh.MarshalPrivateKey(priv, "v2gdesk host key")
	if err != nil {
		return nil, fmt.Errorf("host key %s: encode: %w", path, err)
	}
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return nil, fmt.Errorf("host key %s: create: %w", path, err)
	}
	if err := pem.Encode(f, block); err != nil {
		f.Close()
		os.Remove(path)
		return nil, fmt.Errorf("host key %s: write: %w", path, err)
	}
	if err := f.Close(); err != nil {
		os.Remove(path)
		return nil, fmt.Errorf("host key %s: write: %w", path, err)
	}
	signer, err := gossh.NewSignerFromKey(priv)
	if err != nil {
		return nil, fmt.Errorf("host key %s: %w", path, err)
	}
	return signer, nil
}
