// Package ocpp is an OCPP 1.6J central system (github.com/lorenzodonini/ocpp-go)
// that is both a setpoint adapter and a telemetry source.
//
// Charge points connect to ws://HOST:PORT/ocpp/{identity}. Their
// BootNotification, Heartbeat, StatusNotification, Start/StopTransaction and
// MeterValues (Power.Active.Import, SoC, Energy.Active.Import.Register) are
// accepted and turned into protocol v1 hello and charger frames (telemetry.go),
// so an OCPP site is a feeds.Source like any other.
//
// A setpoint becomes SetChargingProfile (profile.go): TxProfile while a
// transaction runs on the connector, else TxDefaultProfile; an Absolute
// schedule from now until the setpoint's validity ends (validTo); the rate in
// W, or in A with the configured voltage and phases; one stable profile id
// per connector, so each new setpoint replaces the last. Release sends
// ClearChargingProfile for that id. OCPP 1.6 has no way to ask for discharge,
// so a negative setpoint is rejected; an offline charge point fails at once.
//
// Who may connect is decided before ocpp-go's own checks (admit.go), so no
// connection is refused without a log line and a count: a wrong address, an
// unknown identity, no subprotocol we speak; a charge point that connects
// while still connected replaces its earlier (half-open) link.
package ocpp
