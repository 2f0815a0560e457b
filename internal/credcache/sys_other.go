//go:build !unix

package credcache

// syncDir is a no-op where directories cannot be synced (Windows).
func syncDir(string) {}

func isChmodUnsupported(error) bool { return true }
