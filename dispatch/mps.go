package dispatch

import (
	"bufio"
	"fmt"
	"io"
	"strconv"
)

// WriteMPS writes the dispatch LP of p in free MPS, exactly as
// docs/dispatch.md states the model (not the solver's internal
// reformulation), so that CLP, GLPK or HiGHS can solve the same problem
// and check a Result. Columns and rows are named by index (c<i>_<t> is EV
// i's charge in slot t) because ids may contain spaces.
//
// Variables: c, g (charge, discharge kW), e<i>_<k> (SoC at the end of the
// EV's k-th slot), u<i> (unmet kWh), and slacks sfi/sfe (feeder import and
// export), ss (system), sk<j>_<t> (cap j). Rows: d<i>_<k> SoC chain, t<i>
// target, w<i> wear, fi/fe feeder limits, s system limit, k<j>_<t> caps.
func WriteMPS(w io.Writer, p *Problem) error {
	if err := p.Validate(); err != nil {
		return err
	}
	sw := &stickyWriter{w: w}
	bw := bufio.NewWriter(sw)
	// failed stops the per-EV loops at the first write error: formatting
	// the rest of a large fleet's file for nothing took most of a minute.
	failed := func() error {
		if sw.err != nil {
			return fmt.Errorf("write mps: %w", sw.err)
		}
		return nil
	}
	num := func(v float64) string { return strconv.FormatFloat(v, 'g', -1, 64) }
	T, dt := p.Slots, p.Hours()
	fIndex := make(map[string]int, len(p.Feeders))
	for f, fd := range p.Feeders {
		fIndex[fd.ID] = f
	}
	sysLimit := p.System != nil && p.System.ImportLimitKW != nil
	// Which rows load L_ft takes part in besides fi/fe/s.
	capsAt := func(f, t int) []int {
		var js []int
		for j, c := range p.Caps {
			if t >= c.Start && t < c.End && (c.Scope == ScopeSystem || fIndex[c.Scope] == f) {
				js = append(js, j)
			}
		}
		return js
	}

	fmt.Fprintf(bw, "NAME dispatch\nROWS\n N obj\n")
	for i, ev := range p.EVs {
		if err := failed(); err != nil {
			return err
		}
		for k := 0; k < ev.Depart-ev.Arrive; k++ {
			fmt.Fprintf(bw, " E d%d_%d\n", i, k)
		}
		fmt.Fprintf(bw, " G t%d\n", i)
		if ev.MaxDischargeKWh != nil {
			fmt.Fprintf(bw, " L w%d\n", i)
		}
	}
	for f, fd := range p.Feeders {
		for t := 0; t < T; t++ {
			fmt.Fprintf(bw, " L fi%d_%d\n", f, t)
			if fd.ExportLimitKW != nil {
				fmt.Fprintf(bw, " L fe%d_%d\n", f, t)
			}
		}
	}
	if sysLimit {
		for t := 0; t < T; t++ {
			fmt.Fprintf(bw, " L s_%d\n", t)
		}
	}
	for j, c := range p.Caps {
		for t := c.Start; t < c.End; t++ {
			fmt.Fprintf(bw, " L k%d_%d\n", j, t)
		}
	}

	fmt.Fprintf(bw, "COLUMNS\n")
	entry := func(col, row string, v float64) {
		if v != 0 {
			fmt.Fprintf(bw, " %s %s %s\n", col, row, num(v))
		}
	}
	// A unit of net power (sign +1 for charge, -1 for discharge) in slot t.
	loadEntries := func(col string, i, t int, sign float64) {
		ev := p.EVs[i]
		f := fIndex[ev.Feeder]
		entry(col, fmt.Sprintf("fi%d_%d", f, t), sign)
		if p.Feeders[f].ExportLimitKW != nil {
			entry(col, fmt.Sprintf("fe%d_%d", f, t), -sign)
		}
		if sysLimit {
			entry(col, fmt.Sprintf("s_%d", t), sign)
		}
		for _, j := range capsAt(f, t) {
			entry(col, fmt.Sprintf("k%d_%d", j, t), sign)
		}
	}
	for i, ev := range p.EVs {
		if err := failed(); err != nil {
			return err
		}
		K := ev.Depart - ev.Arrive
		for k := 0; k < K; k++ {
			t := ev.Arrive + k
			col := fmt.Sprintf("c%d_%d", i, t)
			fmt.Fprintf(bw, " %s obj %s\n", col, num(dt*p.Price[t]))
			entry(col, fmt.Sprintf("d%d_%d", i, k), -dt*ev.ChargeEfficiency)
			loadEntries(col, i, t, 1)
			col = fmt.Sprintf("g%d_%d", i, t)
			fmt.Fprintf(bw, " %s obj %s\n", col, num(dt*(p.DegradationCost-p.Price[t])))
			entry(col, fmt.Sprintf("d%d_%d", i, k), dt/ev.DischargeEfficiency)
			if ev.MaxDischargeKWh != nil {
				entry(col, fmt.Sprintf("w%d", i), dt)
			}
			loadEntries(col, i, t, -1)
		}
		for k := 0; k < K; k++ {
			col := fmt.Sprintf("e%d_%d", i, k)
			entry(col, fmt.Sprintf("d%d_%d", i, k), 1)
			if k+1 < K {
				entry(col, fmt.Sprintf("d%d_%d", i, k+1), -1)
			} else {
				entry(col, fmt.Sprintf("t%d", i), 1)
			}
		}
		fmt.Fprintf(bw, " u%d obj %s\n u%d t%d 1\n", i, num(p.UnmetPenalty), i, i)
	}
	for f, fd := range p.Feeders {
		for t := 0; t < T; t++ {
			fmt.Fprintf(bw, " sfi%d_%d obj %s\n sfi%d_%d fi%d_%d -1\n", f, t, num(dt*fd.OverloadPenalty), f, t, f, t)
			if fd.ExportLimitKW != nil {
				fmt.Fprintf(bw, " sfe%d_%d obj %s\n sfe%d_%d fe%d_%d -1\n", f, t, num(dt*fd.OverloadPenalty), f, t, f, t)
			}
		}
	}
	if sysLimit {
		for t := 0; t < T; t++ {
			fmt.Fprintf(bw, " ss_%d obj %s\n ss_%d s_%d -1\n", t, num(dt*p.System.OverloadPenalty), t, t)
		}
	}
	for j, c := range p.Caps {
		for t := c.Start; t < c.End; t++ {
			fmt.Fprintf(bw, " sk%d_%d obj %s\n sk%d_%d k%d_%d -1\n", j, t, num(dt*c.Penalty), j, t, j, t)
		}
	}

	fmt.Fprintf(bw, "RHS\n")
	rhs := func(row string, v float64) {
		if v != 0 {
			fmt.Fprintf(bw, " rhs %s %s\n", row, num(v))
		}
	}
	for i, ev := range p.EVs {
		if err := failed(); err != nil {
			return err
		}
		rhs(fmt.Sprintf("d%d_0", i), ev.EnergyKWh)
		rhs(fmt.Sprintf("t%d", i), ev.TargetKWh)
		if ev.MaxDischargeKWh != nil {
			rhs(fmt.Sprintf("w%d", i), *ev.MaxDischargeKWh)
		}
	}
	sysBase := make([]float64, T)
	for f, fd := range p.Feeders {
		for t := 0; t < T; t++ {
			sysBase[t] += fd.BaseKW[t]
			rhs(fmt.Sprintf("fi%d_%d", f, t), fd.ImportLimitKW.At(t)-fd.BaseKW[t])
			if fd.ExportLimitKW != nil {
				rhs(fmt.Sprintf("fe%d_%d", f, t), fd.ExportLimitKW.At(t)+fd.BaseKW[t])
			}
		}
	}
	if sysLimit {
		for t := 0; t < T; t++ {
			rhs(fmt.Sprintf("s_%d", t), p.System.ImportLimitKW.At(t)-sysBase[t])
		}
	}
	for j, c := range p.Caps {
		for t := c.Start; t < c.End; t++ {
			base := sysBase[t]
			if c.Scope != ScopeSystem {
				base = p.Feeders[fIndex[c.Scope]].BaseKW[t]
			}
			rhs(fmt.Sprintf("k%d_%d", j, t), c.MaxKW-base)
		}
	}

	fmt.Fprintf(bw, "BOUNDS\n")
	for i, ev := range p.EVs {
		if err := failed(); err != nil {
			return err
		}
		for t := ev.Arrive; t < ev.Depart; t++ {
			fmt.Fprintf(bw, " UP bounds c%d_%d %s\n UP bounds g%d_%d %s\n", i, t, num(ev.MaxChargeKW), i, t, num(ev.MaxDischargeKW))
		}
		for k := 0; k < ev.Depart-ev.Arrive; k++ {
			fmt.Fprintf(bw, " LO bounds e%d_%d %s\n UP bounds e%d_%d %s\n", i, k, num(ev.MinKWh), i, k, num(ev.CapacityKWh))
		}
	}
	fmt.Fprintf(bw, "ENDATA\n")
	if err := bw.Flush(); err != nil {
		return fmt.Errorf("write mps: %w", err)
	}
	return nil
}

// stickyWriter passes writes on until one fails, then keeps that error.
type stickyWriter struct {
	w   io.Writer
	err error
}

func (s *stickyWriter) Write(b []byte) (int, error) {
	if s.err != nil {
		return 0, s.err
	}
	n, err := s.w.Write(b)
	s.err = err
	return n, err
}
