package target

// The precedence functions, for the external tests; every program goes
// through Resolve.
var (
	Profile = profile
	Region  = region
)
