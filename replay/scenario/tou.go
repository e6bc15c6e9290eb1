package scenario

// ChinaTOU returns time-of-use bands in the style of Chinese residential and
// commercial tariffs (峰平谷): valley 23:00-07:00, peak 10:00-12:00 and
// 18:00-22:00, flat otherwise. Prices are in CNY per kWh and illustrative.
func ChinaTOU() []PriceBand {
	return []PriceBand{
		{Name: "valley", From: "23:00", To: "07:00", Price: 0.31},
		{Name: "flat", From: "07:00", To: "10:00", Price: 0.62},
		{Name: "peak", From: "10:00", To: "12:00", Price: 1.05},
		{Name: "flat", From: "12:00", To: "18:00", Price: 0.62},
		{Name: "peak", From: "18:00", To: "22:00", Price: 1.05},
		{Name: "flat", From: "22:00", To: "23:00", Price: 0.62},
	}
}
