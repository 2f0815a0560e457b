package gittest

// Tools is tools, for the external tests.
var Tools = tools
