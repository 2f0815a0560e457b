package gittest

import (
	"net"
	"sync/atomic"
	"testing"
)

// HangingServer accepts connections on loopback and never answers, for
// tests that a network source ends on its own bound or on a signal; it
// counts the connections. Everything is closed when the test ends.
func HangingServer(t testing.TB) (addr string, conns *atomic.Int32) {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	conns = new(atomic.Int32)
	var held []net.Conn
	done := make(chan struct{})
	go func() {
		defer close(done)
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			conns.Add(1)
			held = append(held, c)
		}
	}()
	t.Cleanup(func() {
		ln.Close()
		<-done
		for _, c := range held {
			c.Close()
		}
	})
	return ln.Addr().String(), conns
}
