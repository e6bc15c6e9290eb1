// Package dispatch is the v2gdesk dispatch optimiser: it decides how hard
// every EV charges or discharges in every slot of a horizon so that energy
// is bought cheaply, EVs reach their targets, and feeder, system and
// demand-response limits are respected (softly, at a price).
//
// Data flow: a Problem (problem.go, usually decoded from JSON with
// DecodeProblem) is checked by Validate (validate.go), turned into an
// internal bounded linear programme (lp.go) and solved by a primal-dual
// interior point method (ipm.go) whose Newton systems are solved with block
// linear algebra that follows the structure of the problem (kkt.go): every
// EV is a chain of state-of-charge rows, eliminated in linear time, which
// leaves one dense slots-by-slots block per feeder and one for the system.
// The schedule is then repaired to satisfy every hard bound exactly and
// priced from scratch (evaluate.go), and a Lagrangian lower bound computed
// from the row duals at every iterate (ipm.go, in the same pass as the
// residuals) certifies the gap of the result.
//
// The same model can be written as free MPS (mps.go) so that any LP solver
// (CLP, GLPK, HiGHS) can check a solve, and Generate (generate.go) builds
// seeded instances for tests and benchmarks. Envelope (envelope.go) gives
// the V2G capacity the dashboard draws.
//
// The package imports nothing of this module so it can be lifted out (its
// tests read docs/ through docs/docstest, which would go with them).
package dispatch
