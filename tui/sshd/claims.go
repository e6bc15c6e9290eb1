package sshd

import (
	"errors"
	"fmt"
	"sort"
	"strings"
	"sync"
	"time"
)

// ErrClaimed is wrapped by a *ConflictError when a resource is already
// claimed by another dispatch.
var ErrClaimed = errors.New("already claimed")

// Claims is the shared registry that keeps two dispatchers from confirming
// conflicting dispatches. Before confirming, a session acquires a claim on
// every resource its dispatch touches (a DR event, a feeder, a charger: any
// string key the caller chooses); the first to acquire wins, and the second
// is told who got there first. Claims are released when the dispatch is done
// or the session ends. It is safe for concurrent use.
type Claims struct {
	mu   sync.Mutex
	held map[string]*Claim
	now  func() time.Time
}

// NewClaims returns an empty registry; now is its clock (nil: time.Now).
func NewClaims(now func() time.Time) *Claims {
	if now == nil {
		now = time.Now
	}
	return &Claims{held: map[string]*Claim{}, now: now}
}

// Claim is a set of resources held by one session for one dispatch.
type Claim struct {
	Holder Present   // the session holding it
	What   string    // what the holder is doing, e.g. "DR-17 cap F07 at 3,600 kW"
	Keys   []string  // the resources held, sorted
	At     time.Time // when it was acquired

	c        *Claims
	released bool
}

// ConflictError says which resource is taken, by whom, since when and for
// what. It matches ErrClaimed with errors.Is.
type ConflictError struct {
	Key    string
	Holder Present
	What   string
	Since  time.Time
}

// Error is the sentence shown to the second dispatcher.
func (e *ConflictError) Error() string {
	what := ""
	if e.What != "" {
		what = " for " + e.What
	}
	return fmt.Sprintf("%s is already being dispatched by %s%s since %s",
		e.Key, e.holder(LangEN), what, e.Since.Format("15:04:05"))
}

// holder names who holds the claim: "dana (dispatcher)"; the name alone
// when the claim was taken without a role (the dispatch controller's,
// which read "ana ()").
func (e *ConflictError) holder(lang string) string {
	if e.Holder.Operator.Role == "" {
		return e.Holder.Operator.Name
	}
	return e.Holder.Operator.in(lang)
}

// In is the refusal in lang, "en" or "zh-CN". In Chinese the key is named
// as the desk names what it stands for (a feeder's id, 全系统, 事件 OP-1)
// and What, the holder's own English description of its dispatch, is left
// to the log: the operator learns who holds what, and since when.
func (e *ConflictError) In(lang string) string {
	if lang != LangZhCN {
		return e.Error()
	}
	return say(lang, "%s is already being dispatched by %s since %s", keyText(lang, e.Key), e.holder(lang), e.Since.Format("15:04:05"))
}

// keyText is a claim's key as an operator reads it: the dispatch
// controller claims "event:OP-1" and "scope:F07" (or "scope:system").
func keyText(lang, k string) string {
	switch {
	case k == "scope:system":
		return say(lang, "the whole system")
	case strings.HasPrefix(k, "scope:"):
		return strings.TrimPrefix(k, "scope:")
	case strings.HasPrefix(k, "event:"):
		return say(lang, "event %s", strings.TrimPrefix(k, "event:"))
	}
	return k
}

// Is makes errors.Is(err, ErrClaimed) true.
func (e *ConflictError) Is(target error) bool { return target == ErrClaimed }

// Acquire claims every key for holder, all or nothing. If any key is held
// (by any session, the holder's own included: a second dispatch from the same
// desk conflicts too) nothing is claimed and the error is a *ConflictError
// naming the first held key in sorted order.
func (c *Claims) Acquire(holder Present, what string, keys ...string) (*Claim, error) {
	if len(keys) == 0 {
		return nil, errors.New("claim: no resources given")
	}
	ks := append([]string(nil), keys...)
	sort.Strings(ks)
	ks = dedupe(ks)
	c.mu.Lock()
	defer c.mu.Unlock()
	for _, k := range ks {
		if h, ok := c.held[k]; ok {
			return nil, &ConflictError{Key: k, Holder: h.Holder, What: h.What, Since: h.At}
		}
	}
	cl := &Claim{Holder: holder, What: what, Keys: ks, At: c.now(), c: c}
	for _, k := range ks {
		c.held[k] = cl
	}
	return cl, nil
}

// dedupe drops adjacent duplicates from a sorted slice.
func dedupe(s []string) []string {
	out := s[:0]
	for i, k := range s {
		if i == 0 || k != s[i-1] {
			out = append(out, k)
		}
	}
	return out
}

// Release gives the claim's resources back. It is safe to call more than once.
func (cl *Claim) Release() {
	cl.c.mu.Lock()
	defer cl.c.mu.Unlock()
	cl.releaseLocked()
}

func (cl *Claim) releaseLocked() {
	if cl.released {
		return
	}
	cl.released = true
	for _, k := range cl.Keys {
		if cl.c.held[k] == cl {
			delete(cl.c.held, k)
		}
	}
}

// ReleaseSession releases every claim held by the session with the given
// Present.ID and returns how many there were; the Server calls it when a
// session ends so an abandoned dispatch does not block the others.
func (c *Claims) ReleaseSession(id uint64) int {
	c.mu.Lock()
	defer c.mu.Unlock()
	seen := map[*Claim]bool{}
	for _, cl := range c.held {
		if cl.Holder.ID == id && !seen[cl] {
			seen[cl] = true
		}
	}
	for cl := range seen {
		cl.releaseLocked()
	}
	return len(seen)
}

// Holder returns the claim holding key, if any.
func (c *Claims) Holder(key string) (Claim, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	cl, ok := c.held[key]
	if !ok {
		return Claim{}, false
	}
	return Claim{Holder: cl.Holder, What: cl.What, Keys: append([]string(nil), cl.Keys...), At: cl.At}, true
}
