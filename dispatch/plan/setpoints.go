package plan

import (
	"fmt"
	"time"
)

// Setpoint is the power the plan wants from one charger for the current slot.
type Setpoint struct {
	Charger    string
	KW         float64 // signed: positive charge, negative discharge
	ValidUntil time.Time
}

// Setpoints returns one setpoint per planned EV for slot 0 of schedule
// (schedule[i][t] is EV i's signed kW in slot t, as dispatch.Solve returns
// it). Each is valid to the end of slot 0 plus the grace, so a charger whose
// next setpoint never comes falls back to its own behaviour soon after.
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
		out = append(out, Setpoint{Charger: p.Chargers[i], KW: row[0], ValidUntil: until})
	}
	return out, nil
}
