package dispatch_test

import (
	"context"
	"fmt"
	"strings"

	"github.com/v2gdesk/v2gdesk/dispatch"
)

func ExampleSolve() {
	// Two hours of 1-hour slots: cheap, then expensive. One EV needs 10
	// kWh more and can charge 11 kW, so it charges in the cheap hour.
	p, err := dispatch.DecodeProblem(strings.NewReader(`{
	  "slot_minutes": 60, "slots": 2, "price": [0.3, 1.0],
	  "degradation_cost": 0.03, "unmet_penalty": 1.5,
	  "feeders": [{"id": "F01", "base_kw": [20, 20], "import_limit_kw": 40, "overload_penalty": 5}],
	  "evs": [{"id": "EV1", "feeder": "F01", "arrive": 0, "depart": 2,
	           "energy_kwh": 20, "capacity_kwh": 60, "min_kwh": 5, "target_kwh": 30,
	           "max_charge_kw": 11, "max_discharge_kw": 0,
	           "charge_efficiency": 1, "discharge_efficiency": 1}]}`))
	if err != nil {
		fmt.Println(err)
		return
	}
	r, err := dispatch.Solve(context.Background(), p, dispatch.Options{Gap: 1e-9})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Printf("%s, objective %.4f, EV1 %.4f kW then %.4f kW\n", r.Status, r.Objective, r.EVs[0].KW[0], r.EVs[0].KW[1])
	// Output: optimal, objective 3.0000, EV1 10.0000 kW then 0.0000 kW
}
