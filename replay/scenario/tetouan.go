package scenario

import (
	"encoding/csv"
	"fmt"
	"io"
	"strings"
	"time"
)

// TetouanRow is one 10-minute row of the Tetouan zone loads.
type TetouanRow struct {
	Time  time.Time  // local wall clock, returned in UTC
	Zones [3]float64 // zone 1..3 load, kW
}

// ReadTetouan reads tetuan_city_power_consumption.csv (comma-separated,
// `M/D/YY H:MM`, CRLF). Unreadable rows are skipped and counted.
func ReadTetouan(r io.Reader) ([]TetouanRow, ImportStats, error) {
	var st ImportStats
	cr := csv.NewReader(r)
	cr.FieldsPerRecord = -1
	head, err := cr.Read()
	if err != nil {
		return nil, st, fmt.Errorf("%w: Tetouan header: %v", ErrCSV, err)
	}
	if len(head) < 7 || head[0] != "DateTime" || !strings.HasPrefix(head[4], "Zone 1") ||
		!strings.HasPrefix(head[5], "Zone 2") || !strings.HasPrefix(head[6], "Zone 3") {
		return nil, st, fmt.Errorf("%w: Tetouan header %q: want DateTime,...,Zone 1..3 Power Consumption in columns 5-7", ErrCSV, strings.Join(head, ","))
	}
	var out []TetouanRow
	for {
		rec, err := cr.Read()
		if err == io.EOF {
			return out, st, nil
		}
		line := rowLine(cr, err)
		st.Rows++
		if err != nil || len(rec) < 7 {
			st.skip(line, fmt.Sprintf("unreadable row: %v", err))
			continue
		}
		t, err := time.Parse("1/2/06 15:04", rec[0])
		if err != nil {
			st.skip(line, "DateTime: "+err.Error())
			continue
		}
		row := TetouanRow{Time: t}
		ok := true
		for z := 0; z < 3; z++ {
			v, err := parseFinite(rec[4+z])
			if err != nil || v < 0 {
				st.skip(line, fmt.Sprintf("zone %d load %q unreadable", z+1, rec[4+z]))
				ok = false
				break
			}
			row.Zones[z] = v
		}
		if ok {
			out = append(out, row)
		}
	}
}
