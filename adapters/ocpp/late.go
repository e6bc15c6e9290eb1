package ocpp

import (
	"encoding/json"
	"fmt"
	"time"

	"github.com/lorenzodonini/ocpp-go/ocpp"
	"github.com/lorenzodonini/ocpp-go/ocpp1.6/smartcharging"
	"github.com/lorenzodonini/ocpp-go/ocpp1.6/types"
	"github.com/lorenzodonini/ocpp-go/ocppj"

	"github.com/v2gdesk/v2gdesk/adapters"
)

// releaseKeep is how long a release that was sent but not answered before
// its deadline is remembered, so that a late answer to it is journalled.
// ocpp-go gives up on a call after 30 s; an answer after a reconnect can
// come later, but one after this long is only counted (UnmatchedAnswers).
const releaseKeep = 10 * time.Minute

// inflight is what the central system knows of one SetChargingProfile
// while Apply waits for it and, once Apply has reported timeout, until an
// answer comes or the setpoint's validity ends. Its fields are guarded by
// c.mu.
type inflight struct {
	sp      adapters.Setpoint // as the guard handed it on
	ch      Charger
	profile *types.ChargingProfile
	applied float64 // kW the profile's limit amounts to
	// sent: ocpp-go wrote the call; key is then its callKey.
	sent bool
	key  string
	// claimed: an answer the endpoint will hand to Apply was seen, so
	// Apply waits for it even past its deadline (it is being read).
	claimed bool
	// early is an answer that came while Apply still waited but that
	// ocpp-go no longer matched (its own timeout or a reconnect raced it).
	early *answer
	// returned: Apply reported timeout; an answer now is late.
	returned bool
	// replaced: its link was closed for a newer connection of the charge
	// point, so ocpp-go's "client disconnected" is said as that.
	replaced   bool
	unreadable chan string
}

// release is one ClearChargingProfile of Release, guarded by c.mu.
type release struct {
	ch      Charger
	charger string
	sent    bool
	key     string
	claimed bool
	// returned: Release gave up (and reported failed): the clear going
	// out now, and its answer, are late and are journalled. expires is
	// when a sent one is forgotten.
	returned bool
	expires  time.Time
}

// answer is what a charge point answered to a call, read from the raw
// OCPP-J message: a CALLRESULT's status, or a CALLERROR's code and text.
type answer struct {
	status  string
	callErr string
}

// callKey names one call to one charge point: OCPP message ids are the
// central system's, unique per charge point.
func callKey(identity, messageID string) string { return identity + "\x00" + messageID }

// readAnswer reads a CALLRESULT's status or a CALLERROR from msg; ok is
// false for a message that cannot be read (the endpoint reports those).
func readAnswer(typ ocppj.MessageType, msg []json.RawMessage) (a answer, ok bool) {
	switch typ {
	case ocppj.CALL_RESULT:
		var p struct {
			Status string `json:"status"`
		}
		if len(msg) < 3 || json.Unmarshal(msg[2], &p) != nil || p.Status == "" {
			return answer{}, false
		}
		return answer{status: p.Status}, true
	case ocppj.CALL_ERROR:
		var code, desc string
		if len(msg) < 4 || json.Unmarshal(msg[2], &code) != nil || json.Unmarshal(msg[3], &desc) != nil {
			return answer{}, false
		}
		return answer{callErr: code + ": " + desc}, true
	}
	return answer{}, false
}

// validProfileStatus reports whether s is a SetChargingProfile status.
func validProfileStatus(s string) bool {
	switch smartcharging.ChargingProfileStatus(s) {
	case smartcharging.ChargingProfileStatusAccepted, smartcharging.ChargingProfileStatusRejected, smartcharging.ChargingProfileStatusNotSupported:
		return true
	}
	return false
}

// result is the setpoint result an answer to f's profile means.
func (c *CentralSystem) result(f *inflight, a answer) adapters.Result {
	if validProfileStatus(a.status) {
		return c.answered(f, smartcharging.ChargingProfileStatus(a.status))
	}
	if a.callErr != "" {
		return adapters.Result{Status: adapters.StatusFailed, Reason: fmt.Sprintf("charge point %q answered an error: %s", f.ch.Identity, a.callErr)}
	}
	return adapters.Result{Status: adapters.StatusFailed, Reason: fmt.Sprintf("charge point %q answered %q, not an OCPP 1.6 status", f.ch.Identity, a.status)}
}

// settle ends Apply's wait on f. With timedOut, Apply is about to report
// timeout: if an answer already came that ocpp-go did not match, that
// answer is the result (ok); otherwise f is kept, so an answer that comes
// later is journalled as late_result. Without, f is forgotten.
func (c *CentralSystem) settle(f *inflight, timedOut bool) (adapters.Result, bool) {
	c.mu.Lock()
	if timedOut && f.early == nil {
		f.returned = true
		c.mu.Unlock()
		return adapters.Result{}, false
	}
	early := f.early
	c.forgetLocked(f)
	c.mu.Unlock()
	if !timedOut {
		return adapters.Result{}, false
	}
	return c.result(f, *early), true
}

// forgetLocked drops f. Callers hold c.mu.
func (c *CentralSystem) forgetLocked(f *inflight) {
	delete(c.inflight, f.profile)
	if f.key != "" {
		delete(c.calls, f.key)
	}
}

// pruneLocked forgets the setpoints reported timeout whose validity has
// ended (an answer to them no longer matters to the charger) and the
// releases unanswered for releaseKeep. Callers hold c.mu.
func (c *CentralSystem) pruneLocked(now time.Time) {
	for _, f := range c.inflight {
		if f.returned && !f.sp.ValidUntil.After(now) {
			c.forgetLocked(f)
		}
	}
	for k, r := range c.releaseCalls {
		if r.returned && now.After(r.expires) {
			delete(c.releaseCalls, k)
		}
	}
}

// noteCall is told of every call just before ocpp-go writes it to the
// charge point identity (ocpp-go marks a call pending just before it writes
// it, and queues the calls behind it). A profile Apply waits on is marked
// sent and traced by its message id, as is a release. A release that
// Release already reported failed (it was queued behind an unanswered call
// past its deadline) goes out now: that is journalled before it is
// written, and its answer after (traceAnswer). ocpp-go cannot take a
// queued call back: refusing the write makes it hand the wrong caller the
// cancellation (its callbacks are a queue per charge point, not by id).
func (c *CentralSystem) noteCall(identity, messageID string, req ocpp.Request) {
	c.mu.Lock()
	switch r := req.(type) {
	case *smartcharging.SetChargingProfileRequest:
		if f := c.inflight[r.ChargingProfile]; f != nil {
			f.sent, f.key = true, callKey(identity, messageID)
			c.calls[f.key] = f
		}
	case *smartcharging.ClearChargingProfileRequest:
		rel := c.releases[r]
		if rel == nil {
			break
		}
		rel.sent, rel.key = true, callKey(identity, messageID)
		c.releaseCalls[rel.key] = rel
		if !rel.returned {
			break
		}
		rel.expires = c.now().Add(releaseKeep)
		sink := c.late
		c.mu.Unlock()
		detail := fmt.Sprintf("ClearChargingProfile (message %s) going out now, after the release was reported failed: the call ahead of it ended", messageID)
		if sink == nil {
			c.log.Warn("ocpp: a release reported failed goes out now; no journal attached", "identity", identity, "charger", rel.charger, "message_id", messageID)
			return
		}
		sink.LateRelease(rel.charger, "", detail)
		return
	}
	c.mu.Unlock()
}

// traceAnswer is told of every CALLRESULT and CALLERROR from the charge
// point identity before the OCPP-J endpoint reads it; pending says whether
// ocpp-go still waits for it (and so hands it to the caller's callback).
// An answer to a profile or release whose Apply or Release has already
// returned is late: it is journalled through the late sink with the
// setpoint it answers. One that comes while they still wait is noted, so
// they take it rather than report a timeout.
func (c *CentralSystem) traceAnswer(identity, messageID string, typ ocppj.MessageType, msg []json.RawMessage, pending bool) {
	key := callKey(identity, messageID)
	a, readable := readAnswer(typ, msg)
	c.mu.Lock()
	sink := c.late
	if f := c.calls[key]; f != nil {
		// A status OCPP 1.6 does not know is unreadable as the schema
		// check would find it: the endpoint reports it (BadMessages).
		readable = readable && (a.callErr != "" || validProfileStatus(a.status))
		if !f.returned {
			if readable {
				f.early = &a
			}
			f.claimed = pending
			c.mu.Unlock()
			return
		}
		if !readable {
			c.mu.Unlock()
			return // counted as a bad message where it is read
		}
		c.forgetLocked(f)
		c.mu.Unlock()
		r := c.result(f, a)
		r.Reason = joinReason(fmt.Sprintf("late answer from %q to SetChargingProfile (message %s) after the setpoint was reported timeout",
			identity, messageID), r.Reason)
		if sink == nil {
			c.log.Warn("ocpp: late answer to a setpoint; no journal attached", "identity", identity, "setpoint", f.sp.ID, "status", r.Status, "reason", r.Reason)
			return
		}
		sink.LateResult(f.sp, r)
		return
	}
	rel := c.releaseCalls[key]
	if rel == nil {
		c.mu.Unlock()
		return
	}
	readable = readable && (a.callErr != "" || a.status == string(smartcharging.ClearChargingProfileStatusAccepted) ||
		a.status == string(smartcharging.ClearChargingProfileStatusUnknown))
	if !rel.returned {
		rel.claimed = pending
		c.mu.Unlock()
		return
	}
	delete(c.releaseCalls, key)
	c.mu.Unlock()
	status, detail := adapters.StatusFailed, fmt.Sprintf("late answer: ClearChargingProfile (message %s) answered an error: %s", messageID, a.callErr)
	switch {
	case !readable:
		detail = fmt.Sprintf("late answer: ClearChargingProfile (message %s) answered something unreadable: the charge point may have cleared the profile", messageID)
	case a.callErr == "":
		status, detail = adapters.StatusAccepted, fmt.Sprintf("late answer: ClearChargingProfile (message %s) answered %s: the charger is released", messageID, a.status)
		c.mu.Lock()
		c.connectorLocked(rel.ch.Identity, rel.ch.Connector).setpointKW = nil
		c.mu.Unlock()
		c.emitConnector(rel.ch.Identity, rel.ch.Connector)
	}
	if sink == nil {
		c.log.Warn("ocpp: late answer to a release; no journal attached", "identity", identity, "charger", rel.charger, "status", status, "detail", detail)
		return
	}
	sink.LateRelease(rel.charger, status, detail)
}

func joinReason(a, b string) string {
	switch {
	case a == "":
		return b
	case b == "":
		return a
	}
	return a + "; " + b
}
