package proc

import (
	"context"
	"os"
	"path/filepath"
	"reflect"
	"runtime"
	"testing"
)

func TestEnv(t *testing.T) {
	p := &Proc{Environ: []string{"A=1", "B=", "A=2", "C"}}
	if v := p.Getenv("A"); v != "2" {
		t.Errorf("A=%q", v)
	}
	if v, ok := p.LookupEnv("B"); !ok || v != "" {
		t.Errorf("B=%q %v", v, ok)
	}
	if _, ok := p.LookupEnv("C"); ok {
		t.Error("C without = found")
	}
	got := WithEnv(p.Environ, "A", "3")
	if want := []string{"B=", "C", "A=3"}; !reflect.DeepEqual(got, want) {
		t.Errorf("WithEnv = %q", got)
	}
}

// TestCommandFindsOnPATHOnly: a program named without a path is found on
// p's PATH, absolute directories only, never through the process's PATH or
// the current directory.
func TestCommandFindsOnPATHOnly(t *testing.T) {
	dir := t.TempDir()
	name := "prog"
	if runtime.GOOS == "windows" {
		name += ".exe"
	}
	if err := os.WriteFile(filepath.Join(dir, name), []byte("#!/bin/sh\n"), 0o755); err != nil {
		t.Fatal(err)
	}
	p := &Proc{Environ: []string{"PATH=" + dir}, Dir: dir}
	cmd, err := p.Command(context.Background(), "prog", "a")
	if err != nil || cmd.Path != filepath.Join(dir, name) || cmd.Dir != dir || len(cmd.Env) != 1 {
		t.Fatalf("Command: %v %v", cmd, err)
	}
	if _, err := (&Proc{Environ: []string{"PATH=."}, Dir: dir}).Command(context.Background(), "prog"); err == nil {
		t.Error("found a program through a relative PATH entry")
	}
	if _, err := (&Proc{}).Command(context.Background(), "sh"); err == nil {
		t.Error("found a program through the process's PATH")
	}
}
