package plan

import (
	"fmt"
	"math"
	"time"
)

// Setpoint is the power the plan wants from one charger for the current slot.
type Setpoint struct {
	Charger    string
	KW         float64 // signed: positive charge, negative discharge
	ValidUntil time.Time
	// Changes: KW differs from what the EV would draw unmanaged in the
	// slot by more than the preview counts (noticeableKW), as for
	// Preview.Affected. The other setpoints leave their EV as it would be:
	// a plan of 500 setpoints may change the power of 176 chargers, and a
	// dispatcher reads a count of the chargers commanded as how many change.
	// Set by Plan.Preview.
	Changes bool
}

// Changing counts the setpoints of sps that change their EV's power
// (Setpoint.Changes).
func Changing(sps []Setpoint) int {
	n := 0
	for _, sp := range sps {
		if sp.Changes {
			n++
		}
	}
	return n
}

// solverZeroKW is the power under which a setpoint is 0: an interior point
// schedule leaves an EV it pauses at a few µW (1.96e-06 kW), which no
// charger resolves (OCPP's finest unit is 0.1 W) and which the journal,
// the peers and every reason quoting it would carry as noise. Half a watt
// per charger moves a scope's load by under a kilowatt even at 1,000
// chargers, far inside a cap's tolerance.
const solverZeroKW = 0.0005

// Setpoints returns one setpoint per planned EV for slot 0 of schedule
// (schedule[i][t] is EV i's signed kW in slot t, as dispatch.Solve returns
// it), a power within solverZeroKW of 0 made 0. Each is valid to the end
// of slot 0 plus the grace, so a charger whose next setpoint never comes
// falls back to its own behaviour soon after.
func (p *Plan) Setpoints(schedule [][]float64, opts Options) ([]Setpoint, error) {
	o := opts.withDefaults()
	if len(schedule) != len(p.Chargers) {
		return nil, fmt.Errorf("plan: schedule has %d EVs, plan has %d", len(schedule), len(p.Chargers))
	}
	until := p.SlotStart(1).Add(o.Grace)
	out := make([]Setpoint, 0, len(schedule))
	for i, row := range schedule {
		if len(row) == 0 {
			return nil, fmt.Errorf("plan: EV %q has an empty schedule", p.Chargers[i])
		}
		kw := row[0]
		if math.Abs(kw) < solverZeroKW {
			kw = 0
		}
		out = append(out, Setpoint{Charger: p.Chargers[i], KW: kw, ValidUntil: until})
	}
	return out, nil
}
