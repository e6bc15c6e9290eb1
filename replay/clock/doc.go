// Package clock is the time source of the replay player and the simulator:
// Real for production, Fake for tests that must not sleep (a Fake moves only
// when Advance is called, and BlockUntil/WaitPending tell a test that the
// code under test is waiting on it).
package clock
