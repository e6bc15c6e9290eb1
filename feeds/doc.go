// Package feeds is where telemetry enters v2gdesk.
//
// Data flows one way through it:
//
//	Source (websocket Subscriber, replay player, simulator)   subscriber.go
//	  (several at once: Merge, one topology from their hellos) merge.go
//	  -> Sink.HandleFrame(raw JSON)      decode.go, validate.go (fields.go, jsonscan.go)
//	  -> Fleet: latest value per entity, history, derived totals
//	                                     fleet.go, topology.go, chunk.go, history.go, stats.go, v2g.go
//	  -> Snapshot (immutable)            snapshot.go, snapshot_build.go; read by dashboards,
//	                                     planners and `v2gdesk status`
//	  -> Hub                             hub.go: fans one ingest out to many consumers
//
// The wire format is telemetry protocol v1 (docs/protocol.md); its Go types are
// in protocol.go. Bad frames never stop ingest: each is counted by reason
// (RejectReason) and skipped.
//
// Decoding has a hand-written fast path (jsonscan.go splits objects without
// allocating) and encoding/json as the fallback; field checks are shared, and
// a test and FuzzDecode hold the two paths to the same results.
//
// A Snapshot costs little to take because charger values live in fixed-size
// chunks that snapshots share and the Fleet copies before writing (chunk.go);
// totals such as V2G capacity (docs/protocol.md, "V2G capacity") are computed from the
// shared chunks after the ingest lock is released.
//
// feeds imports nothing of tui, dispatch or adapters.
package feeds
