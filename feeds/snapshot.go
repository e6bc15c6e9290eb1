package feeds

import (
	"sort"
	"time"
)

// Snapshot is the fleet at one moment. It is immutable: a Fleet hands out a
// new Snapshot after changes and never touches one it has handed out, so a
// renderer can read it for as long as it likes without blocking ingest.
type Snapshot struct {
	// Seq increases by one with every snapshot a Fleet builds.
	Seq uint64
	// At is the fleet clock when the snapshot was taken: wall time for a live
	// feed, the replay or simulation clock otherwise.
	At time.Time
	// CatchingUp reports that the source was delivering a seek's skipped
	// span at once when the snapshot was taken (FleetOptions.CatchingUp,
	// or on a --feed the server's catch_up signals, Batch.CatchUp):
	// At then runs through hours nobody watched, in seconds. The first
	// snapshot without it is the arrival at the seek's target. CatchUps
	// counts the seeks the source has begun: a change between two
	// snapshots is a catch-up neither saw under way.
	CatchingUp bool
	CatchUps   uint64
	// Paused reports that the feed's server said it is paused
	// (Batch.Pause, on a --feed from a simulator or replay): At then
	// stands still, and the feed's silence is the pause, not a fault.
	Paused bool
	// Site and Location come from the latest hello; Location is
	// FleetOptions.Location (UTC by default) until one arrives.
	Site     string
	Location *time.Location
	// HaveTopology is false until the first hello.
	HaveTopology bool
	// FeedMode is what the latest hello says the feed is: ModeSimulation
	// or ModeReplay for a feed whose data runs on its own clock, ModeLive,
	// or "" when the hello does not say. A desk told it is live shows the
	// feed's word for it (a simulator is not live) and its data clock.
	FeedMode Mode
	// FeedSpeed is how fast the feed's clock runs, as its server last said
	// (Batch.Clock: 60 is a minute of data a second), on a simulated or
	// replayed feed; 0 when it has not said.
	FeedSpeed float64
	// ClockEstimated: the feed's link is down, and At runs on from its
	// last data at FeedSpeed (the speed it said last), an estimate of its
	// clock, not a time it sent (docs/protocol.md, "Clock").
	ClockEstimated bool
	// ClockStands: with ClockEstimated, the link dropped while the feed
	// was paused, and the estimate stands at the pause (docs/protocol.md,
	// "Pause"): a simulated day held at its end is still held there.
	ClockStands bool

	System  SystemState
	Feeders []FeederState // in topology order
	// States counts chargers by state, indexed like ChargerStates. Chargers
	// never heard from are counted in Unknown instead.
	States  [len(ChargerStates)]int
	Unknown int
	// Stale counts chargers and feeders not heard from within the stale time.
	StaleChargers, StaleFeeders int
	V2G                         V2GCapacity
	Events                      []EventFrame // known DR events, by start time
	Stats                       FeedStats

	// eventHeard is when each of Events was first heard (EventHeardAt).
	eventHeard map[string]time.Time
	topo       *topology       // shared, read-only; nil before the first hello
	chunks     []*chargerChunk // charger values in topology order; shared, read-only
	staleAfter time.Duration
	systemHist History
}

// SystemState is the site as a whole.
type SystemState struct {
	KW            float64 // sum of the latest feeder loads
	ImportLimitKW float64 // site import limit, or the sum of feeder limits when the site declares none
	LoadingPct    float64 // KW as a percentage of ImportLimitKW
}

// FeederState is one feeder: its topology, latest measurement and the
// figures derived from its chargers.
type FeederState struct {
	FeederInfo
	Seen       bool      // a measurement has arrived
	TS         time.Time // of the latest measurement
	Stale      bool      // Seen, but not within the stale time
	KW         float64   // latest load, positive import
	LimitKW    float64   // import limit in force: the dynamic limit when one is set
	LoadingPct float64   // KW as a percentage of LimitKW
	Chargers   int       // chargers on the feeder
	Plugged    int       // of which an EV is plugged in
	V2G        V2GCapacity
	History    History
}

// ChargerStatus is one charger: its topology and the latest it said.
type ChargerStatus struct {
	ChargerInfo
	Seen    bool         // a measurement has arrived
	Stale   bool         // Seen, but not within the stale time
	Last    ChargerFrame // latest measurement; zero until Seen
	LastAck *AckFrame    // latest ack for a setpoint to this charger, if any
}

// V2GCapacity is the flexibility a dispatcher could call on now; docs/protocol.md
// ("V2G capacity") defines each figure.
type V2GCapacity struct {
	// DischargeKW is the most power plugged bidirectional chargers could
	// export now, each bounded by its discharge limit and by the energy its
	// EV holds above what it needs to reach its target by departure.
	DischargeKW float64
	// ImportReducibleKW is how far import could drop now: the charging power
	// of plugged EVs that could pause (they would still reach their target),
	// plus DischargeKW.
	ImportReducibleKW float64
	// EnergyAboveNeedKWh is the energy plugged bidirectional EVs hold above
	// what they need at departure.
	EnergyAboveNeedKWh float64
	// Plugged and Bidirectional count plugged chargers, and of those the
	// bidirectional ones.
	Plugged, Bidirectional int
	// StalePlugged counts the chargers left out of the figures above for
	// being stale while their latest frame said plugged: what they could
	// offer now is unknown, so the figures are a floor, not the whole (and
	// with Plugged 0 nothing is known). During a link loss every charger
	// is stale and the figures fall to 0, which is not "none available".
	StalePlugged int
	// Unheard counts the chargers the topology lists that have never been
	// heard from: the hello does not say whether they are plugged, so
	// what they could offer is as unknown as a stale plugged charger's
	// (at a desk's start every charger is unheard, and the figures' 0
	// was read as none available).
	Unheard int
}

// Partial reports whether chargers were left out of v's figures for want
// of a fresh frame (StalePlugged or Unheard): the figures are a floor.
func (v V2GCapacity) Partial() bool { return v.StalePlugged > 0 || v.Unheard > 0 }

// Unknown reports whether v's figures say nothing: chargers were left out
// for want of a fresh frame and none was counted.
func (v V2GCapacity) Unknown() bool { return v.Partial() && v.Plugged == 0 }

// FeedStats describes the health of the feed behind a Fleet.
type FeedStats struct {
	Connected    bool
	Frames       uint64    // frames accepted (batch members counted one by one)
	Bytes        uint64    // bytes received, accepted or not
	FramesPerSec float64   // over the last few seconds
	BytesPerSec  float64   // over the last few seconds
	LastFrame    time.Time // wall clock of the latest message received
	Rejects      map[RejectReason]uint64
	Ignored      uint64 // frames older than the latest for the same entity
	Reconnects   uint64
	LastError    string // why the link last went down
	// Ended reports that the source has ended (LinkEvent.End: the scenario
	// day is over, the recording played out) rather than lost its link;
	// EndedAt is when, by the source's clock (for a simulated or replayed
	// feed, its last data time). A new link clears it.
	Ended      bool
	EndedAt    time.Time
	LastReject string // the latest reject, naming frame and field
	// Resets counts the times the fleet forgot every value (a replay that
	// sought backwards or looped, a simulator restarted at an earlier
	// hour): the alarm engine then starts its list over.
	Resets uint64
	// ResetTo is where the latest reset took the data clock: the data time
	// of the first hello or frame applied after it (a seek back's target,
	// a loop's start), zero until one came. A desk stepping on snapshots
	// first sees the new pass some data minutes later, by then further on
	// at a high speed (00:06 after a seek to 00:00 at 1800x).
	ResetTo time.Time
	// HelloRepeats counts the hellos that repeated the one the topology
	// came from but for their ts (the hello answering subscribe, a
	// reconnect's): counted in Frames, neither decoded nor applied again,
	// and not passed to FleetOptions.OnHello; their ts moves the data
	// clock as any hello's does.
	HelloRepeats uint64
	// BadCatchUps counts the catch_up signals (Batch.CatchUp) ignored: on
	// a live feed, out of order, ending none under way, a target not ahead
	// of the data held or over MaxAhead ahead, and catch-ups that frames
	// past their target overtook before their end came.
	BadCatchUps uint64
	// BadPauses counts the pause signals (Batch.Pause) ignored: on a live
	// feed, or stamped over MaxAhead ahead of the data held.
	BadPauses uint64
	// Conflations counts the conflated sets the feed's server sent this
	// desk because it fell behind (Batch.Conflated), and ConflatedFrames
	// the frames those sets left out for newer ones of the same charger:
	// what the desk never got. BadConflations counts the signals ignored
	// (out of order, an end of no set arriving, a newest frame over
	// MaxAhead ahead, frames past a set's newest before its end).
	Conflations, ConflatedFrames, BadConflations uint64
	// Restarts counts the restart signals (Batch.Restart) of a simulated
	// feed: its simulator started the day over, dropping the setpoints in
	// force. LastRestart is the latest; a desk tells its operator once.
	Restarts    uint64
	LastRestart RestartSignal
}

// RejectTotal is the number of rejected frames over all reasons.
func (s FeedStats) RejectTotal() uint64 {
	var n uint64
	for _, c := range s.Rejects {
		n += c
	}
	return n
}

// RejectReasons returns the reasons with a non-zero count, sorted.
func (s FeedStats) RejectReasons() []RejectReason {
	var rs []RejectReason
	for r, c := range s.Rejects {
		if c > 0 {
			rs = append(rs, r)
		}
	}
	sort.Slice(rs, func(i, j int) bool { return rs[i] < rs[j] })
	return rs
}

// NumChargers returns how many chargers the topology declares.
func (s *Snapshot) NumChargers() int {
	if s.topo == nil {
		return 0
	}
	return len(s.topo.chargers)
}

// TopologyID identifies the topology of a snapshot: equal for snapshots
// built after the same hello, different after a new one. It holds the
// topology only, not the snapshot's measurements.
type TopologyID struct{ t *topology }

// TopologyID returns the snapshot's topology's identity (the zero
// TopologyID before the first hello): a caller keeps it rather than the
// snapshot to tell when what it worked out from the chargers (which of
// them an adapter routes) needs working out again.
func (s *Snapshot) TopologyID() TopologyID { return TopologyID{s.topo} }

// ChargerAt returns the i'th charger in topology order, 0 <= i < NumChargers().
func (s *Snapshot) ChargerAt(i int) ChargerStatus {
	k, j := s.chunks[i>>chunkBits], i&chunkMask
	h := &k.hot[j]
	st := ChargerStatus{ChargerInfo: s.topo.chargers[i], Seen: h.seen, LastAck: k.cold[j].ack}
	if h.seen {
		st.Stale = s.At.UnixNano()-h.heard > int64(s.staleAfter)
		st.Last = k.frame(j, st.ID)
	}
	return st
}

// Charger returns the charger with the given id.
func (s *Snapshot) Charger(id string) (ChargerStatus, bool) {
	if s.topo == nil {
		return ChargerStatus{}, false
	}
	i, ok := s.topo.chargerIdx[id]
	if !ok {
		return ChargerStatus{}, false
	}
	return s.ChargerAt(i), true
}

// ChargerIndex returns the position of the charger with the given id in
// topology order.
func (s *Snapshot) ChargerIndex(id string) (int, bool) {
	if s.topo == nil {
		return 0, false
	}
	i, ok := s.topo.chargerIdx[id]
	return i, ok
}

// Feeder returns the feeder with the given id.
func (s *Snapshot) Feeder(id string) (FeederState, bool) {
	if s.topo == nil {
		return FeederState{}, false
	}
	i, ok := s.topo.feederIdx[id]
	if !ok {
		return FeederState{}, false
	}
	return s.Feeders[i], true
}

// ChargerFeederIndex returns the index in Feeders of charger i's feeder.
func (s *Snapshot) ChargerFeederIndex(i int) int { return int(s.topo.static[i].feeder) }

// SystemHistory returns the system load history at one-minute resolution.
func (s *Snapshot) SystemHistory() History { return s.systemHist }
