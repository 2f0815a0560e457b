package main

import (
	"context"
	"math/rand/v2"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strconv"
	"sync"
)

// blobs is how many files the generated repository has: more than git's
// receive.unpackLimit (100) objects, so the server keeps the pushed pack as
// it came and serves clones from it, as a repacked repository would.
const blobs = 128

// generate creates the repository "big": blobs files of random bytes
// totalling sizeMB, one commit, pushed with signed-beforehand credentials.
// Random bytes do not compress; compression is off to generate it fast.
func (b *bench) generate(ctx context.Context, sizeMB int) error {
	dir := filepath.Join(b.root, "gen-big")
	if err := b.must(ctx, b.root, "git", "init", "-q", dir); err != nil {
		return err
	}
	rng := rand.NewChaCha8([32]byte{'c', 'o', 'd', 'e', 'c', 'o', 'm', 'm', 'i', 't'})
	buf := make([]byte, sizeMB<<20/blobs)
	for i := range blobs {
		_, _ = rng.Read(buf)
		if err := os.WriteFile(filepath.Join(dir, "blob"+strconv.Itoa(i)+".bin"), buf, 0o644); err != nil {
			return err
		}
	}
	nocompress := []string{"-c", "core.compression=0", "-c", "pack.compression=0"}
	for _, args := range [][]string{{"add", "."}, {"commit", "-q", "-m", "random blobs"}, {"push", "-q", b.signedURL("big"), "main"}} {
		if err := b.must(ctx, dir, "git", append(nocompress, args...)...); err != nil {
			return err
		}
	}
	return os.RemoveAll(dir)
}

// blackhole is a TCP listener that accepts connections and never answers:
// an EC2 metadata service that hangs, on 127.0.0.1.
type blackhole struct {
	net.Listener
	mu    sync.Mutex
	conns []net.Conn
}

func listenBlackhole() (*blackhole, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, err
	}
	h := &blackhole{Listener: ln}
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			h.mu.Lock()
			h.conns = append(h.conns, c)
			h.mu.Unlock()
		}
	}()
	return h, nil
}

func (h *blackhole) Close() error {
	err := h.Listener.Close()
	h.mu.Lock()
	defer h.mu.Unlock()
	for _, c := range h.conns {
		c.Close()
	}
	return err
}

func execCommand(ctx context.Context, name string, args ...string) *exec.Cmd {
	return exec.CommandContext(ctx, name, args...)
}

func exe(name string) string {
	if runtime.GOOS == "windows" {
		return name + ".exe"
	}
	return name
}
