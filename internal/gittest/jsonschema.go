package gittest

import (
	"encoding/json"
	"testing"
)

// JSONSchema checks that out is one JSON object of schema version 1
// holding at least the keys of want (a frozen list: fields are only ever
// added), each a key path "a", "a.b", or "a[].b" into arrays of objects.
// It returns the decoded object.
func JSONSchema(t testing.TB, out string, want ...string) map[string]any {
	t.Helper()
	var v map[string]any
	if err := json.Unmarshal([]byte(out), &v); err != nil {
		t.Fatalf("not JSON: %v\n%s", err, out)
	}
	if v["version"] != float64(1) {
		t.Errorf("schema version %v, want 1\n%s", v["version"], out)
	}
	for _, k := range want {
		if !hasPath(v, k) {
			t.Errorf("no %q in\n%s", k, out)
		}
	}
	return v
}

func hasPath(v any, path string) bool {
	if path == "" {
		return true
	}
	key, rest := path, ""
	for i := 0; i < len(path); i++ {
		if path[i] == '.' {
			key, rest = path[:i], path[i+1:]
			break
		}
	}
	arr := len(key) > 2 && key[len(key)-2:] == "[]"
	if arr {
		key = key[:len(key)-2]
	}
	m, ok := v.(map[string]any)
	if !ok {
		return false
	}
	x, ok := m[key]
	if !ok {
		return false
	}
	if arr {
		list, ok := x.([]any)
		if !ok {
			return false
		}
		for _, e := range list {
			if !hasPath(e, rest) {
				return false
			}
		}
		return true
	}
	return hasPath(x, rest)
}
