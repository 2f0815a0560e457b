// Package hygiene holds the toolset's end-to-end hardening tests, run with
// the real git against the local endpoint (internal/gittest): no secret
// (secret key, session token, signature) in any process's arguments or
// environment, in stderr or in git's and our traces; valid cache and
// credentials files under concurrency and after a SIGKILL; signals and exit
// statuses passing through the remote helper. It has no non-test code.
package hygiene
