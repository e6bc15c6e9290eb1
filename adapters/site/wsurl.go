package site

import (
	"fmt"
	"net/url"
)

// checkWSURL refuses a settings.url that no redial could ever reach: not
// a URL, or not ws:// or wss://. A peer that is down is not refused: the
// adapter starts and redials.
func checkWSURL(raw string) error {
	u, err := url.Parse(raw)
	if err != nil {
		return fmt.Errorf("settings.url %q: %w", raw, err)
	}
	if u.Scheme != "ws" && u.Scheme != "wss" {
		return fmt.Errorf("settings.url %q: want a ws:// or wss:// URL", raw)
	}
	if u.Host == "" {
		return fmt.Errorf("settings.url %q: no host", raw)
	}
	return nil
}
