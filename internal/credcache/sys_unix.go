//go:build unix

package credcache

import "os"

// syncDir makes a rename durable; errors are ignored (best effort).
func syncDir(dir string) {
	if d, err := os.Open(dir); err == nil {
		_ = d.Sync()
		d.Close()
	}
}

func isChmodUnsupported(error) bool { return false }
