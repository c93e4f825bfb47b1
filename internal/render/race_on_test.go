//go:build race

package render

// raceEnabled: the race detector multiplies CPU costs, so CPU bounds are not checked.
const raceEnabled = true
