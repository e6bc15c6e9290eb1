package feeds

// RejectReason says why a frame was rejected. Every rejected frame is counted
// under exactly one reason and skipped; the connection carries on.
type RejectReason string

// The reasons a frame is rejected, as shown in the dashboard and in
// `v2gdesk status`.
const (
	RejectTooLarge       RejectReason = "too_large"       // over MaxFrameBytes
	RejectBadJSON        RejectReason = "bad_json"        // not a JSON object, or a field of the wrong JSON type
	RejectVersion        RejectReason = "bad_version"     // "v" missing or not ProtocolVersion
	RejectUnknownType    RejectReason = "unknown_type"    // "type" missing or not a v1 frame type
	RejectMissingField   RejectReason = "missing_field"   // a required field is absent or empty
	RejectOutOfRange     RejectReason = "out_of_range"    // a number is not finite or outside its range (soc not in 0..1, negative limit)
	RejectBadState       RejectReason = "bad_state"       // a charger state, event kind or ack status that is not a v1 name
	RejectBadTime        RejectReason = "bad_time"        // timestamp missing, unparsable or implausibly far from the clock
	RejectNoTopology     RejectReason = "no_topology"     // a measurement before any hello
	RejectUnknownFeeder  RejectReason = "unknown_feeder"  // refers to a feeder the topology does not declare
	RejectUnknownCharger RejectReason = "unknown_charger" // refers to a charger the topology does not declare
	RejectBadTopology    RejectReason = "bad_topology"    // a hello that is inconsistent (duplicate ids, charger on an unknown feeder)
	RejectNestedBatch    RejectReason = "nested_batch"    // a batch inside a batch
	RejectWrongDirection RejectReason = "wrong_direction" // a client -> server frame received from a server
)

// AllRejectReasons lists every RejectReason in the order the reasons are
// checked, for dashboards that show zero counts too.
var AllRejectReasons = [...]RejectReason{
	RejectTooLarge, RejectBadJSON, RejectVersion, RejectUnknownType, RejectMissingField,
	RejectOutOfRange, RejectBadState, RejectBadTime, RejectNoTopology, RejectUnknownFeeder,
	RejectUnknownCharger, RejectBadTopology, RejectNestedBatch, RejectWrongDirection,
}
