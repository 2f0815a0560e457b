//go:build !windows

package gitconfig

// RunsByPath: the helper value names the helper by its absolute path.
const RunsByPath = true
