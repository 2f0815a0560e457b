package hygiene_test

import (
	"bytes"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"time"
)

// process is one sampled process: its argv and environment.
type process struct {
	PID  int
	Args []string
	Env  []string
}

func (p process) Name() string { return strings.Join(p.Args, " ") }

// haveProc reports whether /proc exposes processes' argv and environment.
func haveProc() bool {
	_, err := os.Stat("/proc/self/environ")
	return err == nil
}

// sampleProcs reads argv and environment of every process whose environment
// has marker (HOME=the test's fresh home: only the test's own processes) and
// whose argv mentions git or codecommit.
func sampleProcs(marker string) []process {
	return scanProcs(marker, nil)
}

// scanProcs is sampleProcs, skipping the environment of a process already
// in known with the same argv (the environment of an exec'd image is fixed
// in /proc/PID/environ, and an exec with another argv is read anew).
func scanProcs(marker string, known map[procKey]bool) []process {
	ents, err := os.ReadDir("/proc")
	if err != nil {
		return nil
	}
	var out []process
	for _, e := range ents {
		pid, err := strconv.Atoi(e.Name())
		if err != nil {
			continue
		}
		cmdline, err := os.ReadFile(filepath.Join("/proc", e.Name(), "cmdline"))
		if err != nil || !(bytes.Contains(cmdline, []byte("git")) || bytes.Contains(cmdline, []byte("codecommit"))) {
			continue
		}
		k := procKey{pid, string(cmdline)}
		if known[k] {
			continue
		}
		environ, err := os.ReadFile(filepath.Join("/proc", e.Name(), "environ"))
		if err != nil {
			continue // gone, or not ours
		}
		env := splitNUL(environ)
		mine := false
		for _, kv := range env {
			if kv == marker {
				mine = true
				break
			}
		}
		if mine {
			out = append(out, process{PID: pid, Args: splitNUL(cmdline), Env: env})
		}
		if known != nil && len(env) > 0 {
			// a process caught mid-exec can show an empty or partial
			// environment: read it again next time
			known[k] = bytes.HasSuffix(environ, []byte{0})
		}
	}
	return out
}

// procKey names one exec'd image of one process.
type procKey struct {
	pid     int
	cmdline string
}

func splitNUL(b []byte) []string {
	b = bytes.TrimRight(b, "\x00")
	if len(b) == 0 {
		return nil
	}
	return strings.Split(string(b), "\x00")
}

// sampler samples the test's processes in a tight loop until stopped.
type sampler struct {
	marker string
	stop   chan struct{}
	wg     sync.WaitGroup
	mu     sync.Mutex
	seen   map[string]process // by argv and environment: each distinct one once
}

func startSampler(marker string) *sampler {
	s := &sampler{marker: marker, stop: make(chan struct{}), seen: map[string]process{}}
	s.wg.Add(1)
	go func() {
		defer s.wg.Done()
		known := map[procKey]bool{}
		for {
			select {
			case <-s.stop:
				return
			default:
			}
			s.add(scanProcs(marker, known))
			// A scan of /proc takes a fraction of a millisecond; the pause
			// leaves the CPU to the processes being watched (a tight loop
			// took one of the machine's two cores for the whole clone,
			// push and fetch), and every process of ours living longer
			// than a scan and a pause (git-credential-codecommit, the
			// helpers before they exec) is still seen.
			time.Sleep(500 * time.Microsecond)
		}
	}()
	return s
}

func (s *sampler) add(ps []process) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, p := range ps {
		k := strings.Join(p.Args, "\x00") + "\x01" + strings.Join(p.Env, "\x00")
		s.seen[k] = p
	}
}

// Stop ends sampling and returns every distinct process seen.
func (s *sampler) Stop() []process {
	close(s.stop)
	s.wg.Wait()
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]process, 0, len(s.seen))
	for _, p := range s.seen {
		out = append(out, p)
	}
	return out
}
