// Package feeds is where telemetry enters v2gdesk.
//
// Data flows one way through it:
//
//	Source (websocket Subscriber, replay player, simulator)
//	  -> Sink.HandleFrame(raw JSON)      decode.go, validate.go
//	  -> Fleet: latest value per entity, history, derived totals
//	  -> Snapshot (immutable)            read by dashboards, planners and `v2gdesk status`
//	  -> Hub                             fans one ingest out to many consumers
//
// The wire format is telemetry protocol v1 (docs/protocol.md); its Go types are
// in protocol.go. Bad frames never stop ingest: each is counted by reason
// (RejectReason) and skipped.
//
// feeds imports nothing of tui, dispatch or adapters.
package feeds
