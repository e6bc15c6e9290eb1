package plan

import (
	"fmt"
	"time"
)

// Band is one time-of-use band of a Tariff: from From to To (minutes after
// local midnight, To exclusive, To > From) the energy price is Price per kWh.
type Band struct {
	Name  string  `json:"name"` // "valley", "flat" or "peak"
	From  int     `json:"from_minute"`
	To    int     `json:"to_minute"`
	Price float64 `json:"price"`
}

// Tariff is a daily time-of-use price schedule in a site's local time. Minutes
// no band covers are priced at Default.
type Tariff struct {
	Bands   []Band  `json:"bands"`
	Default float64 `json:"default"`
}

// Validate reports the first band that is out of the day or inverted.
func (t Tariff) Validate() error {
	for i, b := range t.Bands {
		if b.From < 0 || b.To > 24*60 || b.To <= b.From {
			return fmt.Errorf("tariff band %d %q: minutes %d..%d not within 0..1440 and increasing", i, b.Name, b.From, b.To)
		}
	}
	return nil
}

// PriceAt returns the price per kWh in force at t, read in loc.
func (t Tariff) PriceAt(at time.Time, loc *time.Location) float64 {
	local := at.In(loc)
	m := local.Hour()*60 + local.Minute()
	for _, b := range t.Bands {
		if m >= b.From && m < b.To {
			return b.Price
		}
	}
	return t.Default
}

// MeanPrice is the tariff's average price over [from, from+d), by the
// minute: a slot that starts mid-band (a plan made at 17:52 has slot 0
// 17:52-18:07) pays each band for the minutes it spends in it.
func (t Tariff) MeanPrice(from time.Time, d time.Duration, loc *time.Location) float64 {
	n := int(d / time.Minute)
	if n <= 1 {
		return t.PriceAt(from, loc)
	}
	first := t.PriceAt(from, loc)
	sum, same := first, true
	for i := 1; i < n; i++ {
		p := t.PriceAt(from.Add(time.Duration(i)*time.Minute), loc)
		sum += p
		same = same && p == first
	}
	if same {
		return first // exactly the band's price, not a rounded mean
	}
	return sum / float64(n)
}

// ChinaTOU is a typical three-band (峰平谷) tariff in yuan per kWh, the same
// illustrative bands and prices as the demo scenario's (replay/scenario):
// valley 23:00-07:00, peak 10:00-12:00 and 18:00-22:00, flat otherwise.
func ChinaTOU() Tariff {
	return Tariff{
		Default: 0.62,
		Bands: []Band{
			{Name: "valley", From: 0, To: 7 * 60, Price: 0.31},
			{Name: "peak", From: 10 * 60, To: 12 * 60, Price: 1.05},
			{Name: "peak", From: 18 * 60, To: 22 * 60, Price: 1.05},
			{Name: "valley", From: 23 * 60, To: 24 * 60, Price: 0.31},
		},
	}
}
