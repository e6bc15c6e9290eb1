package scenario

import (
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"
	"time"
)

// sessionsCSVHeader is the header of a sessions CSV file (docs/replay.md):
// id, site (the feeder), plugin and plugout (RFC 3339), kwh wanted, max_kw,
// v2g (true/false) and battery_kwh.
var sessionsCSVHeader = [...]string{"id", "site", "plugin", "plugout", "kwh", "max_kw", "v2g", "battery_kwh"}

// ErrCSV is wrapped by every CSV error.
var ErrCSV = errors.New("bad CSV")

// WriteSessionsCSV writes sessions in the sessions CSV schema.
func WriteSessionsCSV(w io.Writer, sessions []Session) error {
	cw := csv.NewWriter(w)
	cw.Write(sessionsCSVHeader[:])
	f := func(x float64) string { return strconv.FormatFloat(x, 'f', -1, 64) }
	for _, s := range sessions {
		cw.Write([]string{s.ID, s.Feeder, s.Plugin.Format(time.RFC3339), s.Plugout.Format(time.RFC3339),
			f(s.EnergyKWh), f(s.MaxKW), strconv.FormatBool(s.V2G), f(s.BatteryKWh)})
	}
	cw.Flush()
	return cw.Error()
}

// ReadSessionsCSV reads sessions in the sessions CSV schema. Chargers get
// neutral ids CP-0001, CP-0002, ... in file order. Any bad row is an error
// naming its line and column.
func ReadSessionsCSV(r io.Reader) ([]Session, error) {
	cr := csv.NewReader(r)
	cr.FieldsPerRecord = len(sessionsCSVHeader)
	head, err := cr.Read()
	if err != nil {
		return nil, fmt.Errorf("%w: sessions header: %v", ErrCSV, err)
	}
	for i, h := range sessionsCSVHeader {
		if strings.TrimSpace(head[i]) != h {
			return nil, fmt.Errorf("%w: sessions header column %d is %q, want %q", ErrCSV, i+1, head[i], h)
		}
	}
	var out []Session
	for {
		rec, err := cr.Read()
		if err == io.EOF {
			return out, nil
		}
		line := rowLine(cr, err)
		if err != nil {
			return nil, fmt.Errorf("%w: sessions: %v", ErrCSV, err)
		}
		col := func(i int, err error) error {
			return fmt.Errorf("%w: sessions line %d, column %s: %v", ErrCSV, line, sessionsCSVHeader[i], err)
		}
		s := Session{ID: rec[0], Feeder: rec[1], Charger: fmt.Sprintf("CP-%04d", len(out)+1)}
		if s.Plugin, err = time.Parse(time.RFC3339, rec[2]); err != nil {
			return nil, col(2, err)
		}
		if s.Plugout, err = time.Parse(time.RFC3339, rec[3]); err != nil {
			return nil, col(3, err)
		}
		nums := []*float64{4: &s.EnergyKWh, 5: &s.MaxKW, 7: &s.BatteryKWh}
		for i, p := range nums {
			if p == nil {
				continue
			}
			if *p, err = parseFinite(rec[i]); err != nil {
				return nil, col(i, err)
			}
		}
		if s.V2G, err = strconv.ParseBool(rec[6]); err != nil {
			return nil, col(6, err)
		}
		out = append(out, s)
	}
}

func parseFinite(s string) (float64, error) {
	v, err := strconv.ParseFloat(strings.TrimSpace(s), 64)
	if err != nil {
		return 0, err
	}
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return 0, fmt.Errorf("%q is not a finite number", s)
	}
	return v, nil
}

// LoadTable is a load CSV: one row per time step, one column per feeder.
type LoadTable struct {
	Feeders []string
	Times   []time.Time
	KW      [][]float64 // KW[row][feeder]
}

// WriteLoadsCSV writes feeders' base loads in the load CSV schema: a header
// "time,<feeder id>,..." and one row per step with the step's start time
// (RFC 3339) and each feeder's mean kW.
func WriteLoadsCSV(w io.Writer, sc *Scenario) error {
	cw := csv.NewWriter(w)
	head := []string{"time"}
	for _, f := range sc.Feeders {
		head = append(head, f.ID)
	}
	cw.Write(head)
	for i := range sc.Feeders[0].BaseKW {
		row := []string{sc.Start().Add(time.Duration(i) * sc.Step()).Format(time.RFC3339)}
		for _, f := range sc.Feeders {
			row = append(row, strconv.FormatFloat(f.BaseKW[i], 'f', -1, 64))
		}
		cw.Write(row)
	}
	cw.Flush()
	return cw.Error()
}

// ReadLoadsCSV reads a load CSV (see WriteLoadsCSV). Rows must be evenly
// spaced.
func ReadLoadsCSV(r io.Reader) (*LoadTable, error) {
	cr := csv.NewReader(r)
	head, err := cr.Read()
	if err != nil {
		return nil, fmt.Errorf("%w: loads header: %v", ErrCSV, err)
	}
	if len(head) < 2 || strings.TrimSpace(head[0]) != "time" {
		return nil, fmt.Errorf("%w: loads header %q: want time,<feeder id>,...", ErrCSV, strings.Join(head, ","))
	}
	lt := &LoadTable{Feeders: head[1:]}
	for {
		rec, err := cr.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, fmt.Errorf("%w: loads: %v", ErrCSV, err)
		}
		line := rowLine(cr, err)
		t, err := time.Parse(time.RFC3339, rec[0])
		if err != nil {
			return nil, fmt.Errorf("%w: loads line %d, column time: %v", ErrCSV, line, err)
		}
		if n := len(lt.Times); n >= 2 && t.Sub(lt.Times[n-1]) != lt.Times[1].Sub(lt.Times[0]) {
			return nil, fmt.Errorf("%w: loads line %d: step %v differs from the first step %v", ErrCSV, line, t.Sub(lt.Times[n-1]), lt.Times[1].Sub(lt.Times[0]))
		}
		row := make([]float64, len(lt.Feeders))
		for i := range row {
			if row[i], err = parseFinite(rec[i+1]); err != nil {
				return nil, fmt.Errorf("%w: loads line %d, column %s: %v", ErrCSV, line, lt.Feeders[i], err)
			}
		}
		lt.Times = append(lt.Times, t)
		lt.KW = append(lt.KW, row)
	}
	if len(lt.Times) < 2 {
		return nil, fmt.Errorf("%w: loads: %d rows, want at least 2", ErrCSV, len(lt.Times))
	}
	return lt, nil
}
