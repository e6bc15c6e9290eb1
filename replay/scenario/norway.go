package scenario

import (
	"encoding/csv"
	"fmt"
	"io"
	"strings"
	"time"
)

// NorwaySession is one row of Dataset1_charging_reports.csv of the
// residential Norwegian dataset (see NOTICE). Times are local wall-clock
// times without a zone; they are returned in UTC with the same wall clock.
type NorwaySession struct {
	Location  string
	User      string // owner-identifying: never copy it into a scenario
	SessionID string
	Plugin    time.Time
	Plugout   time.Time
	EnergyKWh float64
}

// NorwayUser is one row of Dataset2_user_predictions.csv: the dataset
// authors' estimates; ok flags are false where the file says NA.
type NorwayUser struct {
	ChargingKW, BatteryKWh float64
	OK                     bool
}

// ImportStats counts what an importer read and skipped.
type ImportStats struct {
	Rows    int      // data rows read
	Skipped int      // rows skipped
	Notes   []string // why, for the first few
}

func (s *ImportStats) skip(line int, why string) {
	s.Skipped++
	if len(s.Notes) < 10 {
		s.Notes = append(s.Notes, fmt.Sprintf("line %d: %s", line, why))
	}
}

// newSemicolonReader reads the dataset's dialect: ';' separated, quoted
// text, CRLF line endings.
func newSemicolonReader(r io.Reader) *csv.Reader {
	cr := csv.NewReader(r)
	cr.Comma = ';'
	cr.FieldsPerRecord = -1
	return cr
}

// parseDecimalComma parses "13,2"; "NA" is reported as missing.
func parseDecimalComma(s string) (v float64, missing bool, err error) {
	s = strings.TrimSpace(s)
	if s == "NA" || s == "" {
		return 0, true, nil
	}
	v, err = parseFinite(strings.Replace(s, ",", ".", 1))
	return v, false, err
}

const norwayTime = "2006-01-02 15:04:05"

func checkHeader(got, want []string, what string) error {
	if len(got) < len(want) {
		return fmt.Errorf("%w: %s header has %d columns, want %d (%s)", ErrCSV, what, len(got), len(want), strings.Join(want, ";"))
	}
	for i, w := range want {
		if strings.TrimSpace(got[i]) != w {
			return fmt.Errorf("%w: %s header column %d is %q, want %q", ErrCSV, what, i+1, got[i], w)
		}
	}
	return nil
}

// ReadNorwaySessions reads Dataset1_charging_reports.csv. Rows with a
// missing (NA) or unreadable plug-out, plug-in or energy are skipped and
// counted; a wrong header is an error.
func ReadNorwaySessions(r io.Reader) ([]NorwaySession, ImportStats, error) {
	var st ImportStats
	cr := newSemicolonReader(r)
	head, err := cr.Read()
	if err != nil {
		return nil, st, fmt.Errorf("%w: sessions header: %v", ErrCSV, err)
	}
	want := []string{"location", "user_id", "session_id", "plugin_time", "plugout_time", "connection_time", "energy_session"}
	if err := checkHeader(head, want, "Norwegian sessions"); err != nil {
		return nil, st, err
	}
	var out []NorwaySession
	for {
		rec, err := cr.Read()
		if err == io.EOF {
			return out, st, nil
		}
		line := rowLine(cr, err)
		if err != nil {
			if _, ok := err.(*csv.ParseError); ok {
				st.Rows++
				st.skip(line, err.Error())
				continue
			}
			return nil, st, fmt.Errorf("Norwegian sessions: %w", err)
		}
		st.Rows++
		if len(rec) != len(want) {
			st.skip(line, fmt.Sprintf("%d fields, want %d", len(rec), len(want)))
			continue
		}
		s := NorwaySession{Location: rec[0], User: rec[1], SessionID: rec[2]}
		if s.Plugin, err = time.Parse(norwayTime, rec[3]); err != nil {
			st.skip(line, "plugin_time: "+err.Error())
			continue
		}
		if rec[4] == "NA" {
			st.skip(line, "plugout_time is NA")
			continue
		}
		if s.Plugout, err = time.Parse(norwayTime, rec[4]); err != nil {
			st.skip(line, "plugout_time: "+err.Error())
			continue
		}
		var missing bool
		if s.EnergyKWh, missing, err = parseDecimalComma(rec[6]); err != nil || missing {
			st.skip(line, fmt.Sprintf("energy_session %q unreadable or NA", rec[6]))
			continue
		}
		if !s.Plugout.After(s.Plugin) {
			st.skip(line, "plugout not after plugin")
			continue
		}
		out = append(out, s)
	}
}

// ReadNorwayUsers reads Dataset2_user_predictions.csv into a map by user id.
func ReadNorwayUsers(r io.Reader) (map[string]NorwayUser, ImportStats, error) {
	var st ImportStats
	cr := newSemicolonReader(r)
	head, err := cr.Read()
	if err != nil {
		return nil, st, fmt.Errorf("%w: users header: %v", ErrCSV, err)
	}
	if err := checkHeader(head, []string{"user_id", "charging_power", "battery_capacity"}, "Norwegian users"); err != nil {
		return nil, st, err
	}
	out := map[string]NorwayUser{}
	for {
		rec, err := cr.Read()
		if err == io.EOF {
			return out, st, nil
		}
		line := rowLine(cr, err)
		st.Rows++
		if err != nil || len(rec) != 3 {
			st.skip(line, fmt.Sprintf("unreadable row: %v", err))
			continue
		}
		kw, m1, err1 := parseDecimalComma(rec[1])
		bat, m2, err2 := parseDecimalComma(rec[2])
		if err1 != nil || err2 != nil {
			st.skip(line, fmt.Sprintf("charging_power %q / battery_capacity %q unreadable", rec[1], rec[2]))
			continue
		}
		out[rec[0]] = NorwayUser{ChargingKW: kw, BatteryKWh: bat, OK: !m1 && !m2 && kw > 0 && bat > 0}
	}
}

// rowLine returns the line of the record just read, or of the parse error.
func rowLine(cr *csv.Reader, err error) int {
	if pe, ok := err.(*csv.ParseError); ok {
		return pe.StartLine
	}
	if err != nil {
		return 0
	}
	line, _ := cr.FieldPos(0)
	return line
}
