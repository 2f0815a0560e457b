//go:build !unix

package awscreds

import "os/exec"

// ownGroup: outside Unix, cancelling kills the process itself (exec's
// default); WaitDelay ends the wait for what it started.
func ownGroup(*exec.Cmd) {}
