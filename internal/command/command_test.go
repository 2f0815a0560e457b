package command

import "testing"

func TestSuggest(t *testing.T) {
	names := []string{"clone", "create", "delete", "doctor", "info", "list", "mfa", "serve", "setup", "url", "version"}
	for typed, want := range map[string]string{
		"clon": "clone", "cloen": "clone", "doctr": "doctor", "lsit": "list", "setpu": "setup",
		"frobnicate": "", "x": "", "ur": "url", "vers": "version",
	} {
		if got := Suggest(typed, names); got != want {
			t.Errorf("Suggest(%q) = %q, want %q", typed, got, want)
		}
	}
}
