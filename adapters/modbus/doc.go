// Package modbus sends setpoints to chargers over Modbus TCP
// (github.com/simonvetter/modbus) using a register map per device model.
//
// A register map (regmap.go, JSON) says where the power setpoint lives and
// how it is encoded (int16, uint16, int32, uint32 or float32; scale; word
// order; sign convention), and optionally a control-mode register (switch the
// device to remote control, and back on release) and a watchdog register
// (seconds until the device falls back to its own behaviour: the setpoint's
// validity). Apply writes the setpoint, then the watchdog, then the control
// mode (the watchdog arms whatever the setpoint register holds, so it never
// goes first), then reads them back: a value the device does not hold as
// written is a failure.
//
// maps/ ships two example maps; their README says where each layout comes
// from.
package modbus
