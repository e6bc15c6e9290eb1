package ocpp

import (
	"context"
	"errors"
	"fmt"
	"math"
	"strings"
	"time"

	"github.com/lorenzodonini/ocpp-go/ocpp"
	"github.com/lorenzodonini/ocpp-go/ocpp1.6/smartcharging"
	"github.com/lorenzodonini/ocpp-go/ocpp1.6/types"
	"github.com/lorenzodonini/ocpp-go/ocppj"

	"github.com/v2gdesk/v2gdesk/adapters"
)

// Profile builds the SetChargingProfile payload for kW on ch until `until`,
// starting now. tx is the running transaction id (0: none). It returns the
// profile and the power the limit amounts to after rounding down (never up:
// rounding must not exceed what the guard allowed).
func (c *CentralSystem) Profile(ch Charger, kW float64, now, until time.Time, tx int) (*types.ChargingProfile, float64) {
	var limit, applied float64
	var phases *int
	if c.set.RateUnit == "A" {
		perAmp := c.set.Voltage * float64(c.set.Phases) // W per A
		// OCPP 1.6 limits are multiples of 0.1; round down in tenths.
		limit = math.Floor(kW*1000/perAmp*10+1e-9) / 10
		applied = limit * perAmp / 1000
		n := c.set.Phases
		phases = &n
	} else {
		limit = math.Floor(kW*1000 + 1e-9)
		applied = limit / 1000
	}
	start := now.UTC().Truncate(time.Second)
	// Whole seconds from the (truncated) start, rounded down: the schedule
	// must not outlast the setpoint's validity.
	secs := int(math.Floor(until.Sub(start).Seconds()))
	period := types.NewChargingSchedulePeriod(0, limit)
	period.NumberPhases = phases
	sched := types.NewChargingSchedule(types.ChargingRateUnitType(c.set.RateUnit), period)
	sched.Duration = &secs
	sched.StartSchedule = types.NewDateTime(start)
	purpose := types.ChargingProfilePurposeTxDefaultProfile
	if tx != 0 {
		purpose = types.ChargingProfilePurposeTxProfile
	}
	p := types.NewChargingProfile(c.profileID(ch), c.set.StackLevel, purpose, types.ChargingProfileKindAbsolute, sched)
	p.TransactionId = tx
	p.ValidFrom = types.NewDateTime(start)
	p.ValidTo = types.NewDateTime(until.UTC())
	return p, applied
}

// profileID is the stable chargingProfileId of a connector: a new setpoint
// replaces the previous profile instead of stacking on it.
func (c *CentralSystem) profileID(ch Charger) int { return c.set.ProfileIDBase + ch.Connector }

// connected reports whether ch's charge point is connected, and the
// connector's running transaction.
func (c *CentralSystem) connected(ch Charger) (bool, int) {
	c.mu.Lock()
	defer c.mu.Unlock()
	st := c.stations[ch.Identity]
	if st == nil || !st.connected {
		return false, 0
	}
	if cn := st.conns[ch.Connector]; cn != nil {
		return true, cn.tx
	}
	return true, 0
}

// Apply implements adapters.Adapter with SetChargingProfile.
func (c *CentralSystem) Apply(ctx context.Context, sp adapters.Setpoint) adapters.Result {
	ch, ok := c.chargers[sp.Charger]
	if !ok {
		return adapters.Result{Status: adapters.StatusRejected, Reason: fmt.Sprintf("charger %q is not served by this OCPP central system", sp.Charger)}
	}
	if sp.KW < 0 {
		return adapters.Result{Status: adapters.StatusRejected,
			Reason: "OCPP 1.6 cannot express discharge: charging profile limits are >= 0"}
	}
	up, tx := c.connected(ch)
	if !up || c.cs == nil {
		return adapters.Result{Status: adapters.StatusFailed, Reason: fmt.Sprintf("charge point %q: %v", ch.Identity, adapters.ErrNotConnected)}
	}
	now := c.now()
	if !sp.ValidUntil.After(now) {
		return adapters.Result{Status: adapters.StatusRejected, Reason: "validity ended before the profile could be sent"}
	}
	profile, applied := c.Profile(ch, sp.KW, now, sp.ValidUntil, tx)
	type answer struct {
		conf *smartcharging.SetChargingProfileConfirmation
		err  error
	}
	done := make(chan answer, 1)
	f := &inflight{sp: sp, ch: ch, profile: profile, applied: applied, unreadable: make(chan string, 1)}
	c.mu.Lock()
	c.pruneLocked(now)
	c.inflight[profile] = f
	c.mu.Unlock()
	err := c.cs.SetChargingProfile(ch.Identity, func(conf *smartcharging.SetChargingProfileConfirmation, err error) {
		// Apply reported it queued ("it goes out once that call is
		// answered") and it ends unsent: ocpp-go cancelled it with the
		// connection (or at Stop). No answer can come now, so it is
		// forgotten at once, not kept until its validity ends, and the
		// journal is told it never went out.
		c.mu.Lock()
		unsent := err != nil && f.returned && !f.sent
		if unsent {
			c.forgetLocked(f)
		}
		sink := c.late
		c.mu.Unlock()
		if unsent {
			c.profileNeverSent(f, err, sink)
		}
		done <- answer{conf, err}
	}, ch.Connector, profile)
	if err != nil {
		c.settle(f, false)
		return adapters.Result{Status: adapters.StatusFailed, Reason: fmt.Sprintf("SetChargingProfile to %q: %v", ch.Identity, err)}
	}
	stop := ctx.Done()
	for {
		select {
		case a := <-done:
			switch {
			case a.err != nil && unanswered(a.err):
				// The request went out and no answer came: the charge point may
				// hold the profile. timeout says the outcome is unknown; failed
				// would say it was not delivered. An answer may still come
				// (after a reconnect): it is journalled as late_result.
				if r, ok := c.settle(f, true); ok {
					return r
				}
				return adapters.Result{Status: adapters.StatusTimeout,
					Reason: fmt.Sprintf("SetChargingProfile sent to %q; no answer (%s): the charge point may hold it until %s",
						ch.Identity, c.cutOff(f, a.err), sp.ValidUntil.UTC().Format(time.RFC3339))}
			case a.err != nil:
				c.settle(f, false)
				return adapters.Result{Status: adapters.StatusFailed, Reason: fmt.Sprintf("charge point %q answered an error: %v", ch.Identity, a.err)}
			case a.conf == nil:
				c.settle(f, false)
				return adapters.Result{Status: adapters.StatusFailed, Reason: fmt.Sprintf("charge point %q sent no confirmation", ch.Identity)}
			default:
				c.settle(f, false)
				return c.answered(f, a.conf.Status)
			}
		case bad := <-f.unreadable:
			// It answered, but what it said cannot be read: it may hold the
			// profile, so the outcome is unknown, as with no answer.
			if r, ok := c.settle(f, true); ok {
				return r
			}
			return adapters.Result{Status: adapters.StatusTimeout,
				Reason: fmt.Sprintf("charge point %q sent a malformed SetChargingProfile answer: %s; the charge point may hold it until %s",
					ch.Identity, bad, sp.ValidUntil.UTC().Format(time.RFC3339))}
		case <-stop:
			c.mu.Lock()
			sent, claimed := f.sent, f.claimed
			c.mu.Unlock()
			if claimed {
				// Its answer is being read right now: the endpoint hands it
				// to done (or unreadable) next, so wait for it rather than
				// call an answered profile a timeout.
				stop = nil
				continue
			}
			if r, ok := c.settle(f, true); ok {
				return r
			}
			if !sent {
				// OCPP-J sends one call at a time to a charge point; ocpp-go
				// cannot take a queued call back, so it still goes out (its
				// validTo bounds it) after the one before is answered or
				// times out; its answer is then journalled as late_result.
				return adapters.Result{Status: adapters.StatusTimeout, Reason: fmt.Sprintf(
					"SetChargingProfile to %q queued behind an unanswered call to the charge point; not sent before the deadline, it goes out once that call is answered or times out (valid until %s)",
					ch.Identity, sp.ValidUntil.UTC().Format(time.RFC3339))}
			}
			return adapters.Result{Status: adapters.StatusTimeout, Reason: fmt.Sprintf("SetChargingProfile sent to %q; no answer before the deadline", ch.Identity)}
		}
	}
}

// answered is the result of the charge point's answer status to f's
// profile; Accepted also becomes the connector's setpoint in the telemetry.
func (c *CentralSystem) answered(f *inflight, status smartcharging.ChargingProfileStatus) adapters.Result {
	if status != smartcharging.ChargingProfileStatusAccepted {
		return adapters.Result{Status: adapters.StatusRejected, Reason: fmt.Sprintf("charge point %q answered %s", f.ch.Identity, status)}
	}
	applied := f.applied
	c.mu.Lock()
	c.connectorLocked(f.ch.Identity, f.ch.Connector).setpointKW = &applied
	c.mu.Unlock()
	c.emitConnector(f.ch.Identity, f.ch.Connector)
	p := f.profile
	return adapters.Result{Status: adapters.StatusAccepted, AppliedKW: applied,
		Reason: fmt.Sprintf("%s %d, limit %g %s until %s", p.ChargingProfilePurpose, p.ChargingProfileId,
			p.ChargingSchedule.ChargingSchedulePeriod[0].Limit, c.set.RateUnit, f.sp.ValidUntil.UTC().Format(time.RFC3339))}
}

// unanswered reports whether err is ocpp-go's own error for a request that
// was sent and never answered: the charge point disconnected while it was
// pending, or ocpp-go's request timeout ran out. Both are GenericErrors made
// by the library, not CallErrors from the charge point, and only their
// descriptions tell them apart.
func unanswered(err error) bool {
	return libraryError(err, func(d string) bool { return strings.HasPrefix(d, "client disconnected") || d == "Request timed out" })
}

// disconnected reports whether err is ocpp-go's error for a call cut off
// by its link closing (answered or queued).
func disconnected(err error) bool {
	return libraryError(err, func(d string) bool { return strings.HasPrefix(d, "client disconnected") })
}

// libraryError reports whether err is a GenericError made by ocpp-go (not
// a CallError from the charge point) whose description satisfies is.
func libraryError(err error, is func(description string) bool) bool {
	var oe *ocpp.Error
	return errors.As(err, &oe) && oe.Code == ocppj.GenericError && is(oe.Description)
}

// cutOff says why f's call ended with err: ocpp-go says "client
// disconnected" alike for a link that dropped and for one closed because
// the charge point came back on a new link (admit.go), and a dispatcher
// reads the first as a charger gone, so the second is named.
func (c *CentralSystem) cutOff(f *inflight, err error) string {
	c.mu.Lock()
	replaced := f.replaced
	c.mu.Unlock()
	if replaced && disconnected(err) {
		return fmt.Sprintf("its link was replaced by a newer connection of the charge point: %v", err)
	}
	return err.Error()
}

// Release implements adapters.Releaser with ClearChargingProfile for the
// connector's profile id. Behind an unanswered call the clear waits in
// ocpp-go's queue, which cannot take it back: if ctx ends first, Release
// reports it not sent, and when it does go out later that is journalled
// through the late sink, as is an answer that comes after Release
// returned, so a release reported failed never takes effect unrecorded.
func (c *CentralSystem) Release(ctx context.Context, charger string) error {
	ch, ok := c.chargers[charger]
	if !ok {
		return fmt.Errorf("ocpp: %q: %w", charger, adapters.ErrUnknownCharger)
	}
	if up, _ := c.connected(ch); !up || c.cs == nil {
		return fmt.Errorf("ocpp: charge point %q: %w", ch.Identity, adapters.ErrNotConnected)
	}
	done := make(chan error, 1)
	id := c.profileID(ch)
	rel := &release{ch: ch, charger: charger}
	var req *smartcharging.ClearChargingProfileRequest
	c.mu.Lock()
	c.pruneLocked(c.now())
	c.mu.Unlock()
	err := c.cs.ClearChargingProfile(ch.Identity, func(conf *smartcharging.ClearChargingProfileConfirmation, err error) {
		if err == nil && conf == nil {
			err = fmt.Errorf("no confirmation")
		}
		c.mu.Lock()
		delete(c.releases, req) // answered, timed out or cancelled: never written now
		// Release reported it queued ("it goes out once that call is
		// answered"), and it ends unsent: the connection dropped (ocpp-go
		// cancels every queued call of a charge point then) or the
		// central system stopped. The journal must not be left promising
		// a clear that never comes.
		unsent := rel.returned && !rel.sent
		sink := c.late
		c.mu.Unlock()
		if unsent {
			c.neverSent(rel, err, sink)
		}
		done <- err
	}, func(r *smartcharging.ClearChargingProfileRequest) {
		r.Id = &id
		req = r
		c.mu.Lock()
		c.releases[r] = rel
		c.mu.Unlock()
	})
	if err != nil {
		c.mu.Lock()
		delete(c.releases, req)
		c.mu.Unlock()
		return fmt.Errorf("ocpp: ClearChargingProfile to %q: %w", ch.Identity, err)
	}
	stop := ctx.Done()
	for {
		select {
		case err := <-done:
			c.mu.Lock()
			if rel.key != "" {
				delete(c.releaseCalls, rel.key)
			}
			c.mu.Unlock()
			if err != nil {
				return fmt.Errorf("ocpp: ClearChargingProfile on %q: %w", ch.Identity, err)
			}
			c.mu.Lock()
			c.connectorLocked(ch.Identity, ch.Connector).setpointKW = nil
			c.mu.Unlock()
			c.emitConnector(ch.Identity, ch.Connector)
			return nil
		case <-stop:
			c.mu.Lock()
			if rel.claimed {
				// Its answer is being read: it reaches done next.
				c.mu.Unlock()
				stop = nil
				continue
			}
			sent := rel.sent
			rel.returned = true
			if sent {
				rel.expires = c.now().Add(releaseKeep)
			}
			c.mu.Unlock()
			if !sent {
				return fmt.Errorf("ocpp: ClearChargingProfile to %q queued behind an unanswered call to the charge point; not sent before the deadline (%w): it goes out once that call is answered or times out, and the journal records it then, with its answer",
					ch.Identity, ctx.Err())
			}
			return fmt.Errorf("ocpp: ClearChargingProfile sent to %q; no answer before the deadline (%w): the charge point may still clear the profile (a later answer is journalled)",
				ch.Identity, ctx.Err())
		}
	}
}

// neverSent journals through sink that rel, a release Release reported
// failed while it was queued, was cancelled unsent (why: ocpp-go's
// error): the charger keeps its profile until the profile's validity
// ends.
func (c *CentralSystem) neverSent(rel *release, why error, sink adapters.LateSink) {
	detail := fmt.Sprintf("ClearChargingProfile to %q never sent: %v; it was queued when the release was reported failed, and the charger keeps its profile until its validity ends",
		rel.ch.Identity, why)
	if sink == nil {
		c.log.Warn("ocpp: a queued release was never sent; no journal attached", "identity", rel.ch.Identity, "charger", rel.charger, "err", why)
		return
	}
	sink.LateRelease(rel.charger, adapters.StatusFailed, detail)
}

// profileNeverSent journals through sink that f, a setpoint Apply
// reported timeout while its profile was queued, was cancelled unsent
// (why: ocpp-go's error): the charger never got it.
func (c *CentralSystem) profileNeverSent(f *inflight, why error, sink adapters.LateSink) {
	r := adapters.Result{Status: adapters.StatusFailed,
		Reason: fmt.Sprintf("SetChargingProfile to %q never sent: %s; it was queued when the setpoint was reported timeout", f.ch.Identity, c.cutOff(f, why))}
	if sink == nil {
		c.log.Warn("ocpp: a queued setpoint was never sent; no journal attached", "identity", f.ch.Identity, "setpoint", f.sp.ID, "err", why)
		return
	}
	sink.LateResult(f.sp, r)
}
