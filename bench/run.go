package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"sort"
	"strings"
	"time"
)

// spec is one command to time.
type spec struct {
	name  string
	args  []string
	dir   string
	stdin string
	env   []string // nil: the bench environment
	fail  bool     // the command is expected to fail
}

// sample is one timed run.
type sample struct {
	wall   time.Duration
	cpu    time.Duration // user + system time of the process tree, from wait4
	rssKB  int64         // peak RSS of the process tree, from wait4
	stsOps int           // STS requests the server saw during the run
}

// variant is one row of the table: a command, run once per round.
type variant struct {
	label   string
	prepare func() error         // untimed, before each run
	cmd     func() (spec, error) // the command, built per run (fresh signatures)
	ref     *variant             // the floor its ratio is to
	samples []sample
}

func (v *variant) median() time.Duration {
	return v.medianOf(func(s sample) time.Duration { return s.wall })
}

// medianCPU is the median CPU time (user + system) of the process tree:
// unlike wall time, it hardly grows with the machine's load.
func (v *variant) medianCPU() time.Duration {
	return v.medianOf(func(s sample) time.Duration { return s.cpu })
}

func (v *variant) medianOf(f func(sample) time.Duration) time.Duration {
	d := make([]time.Duration, len(v.samples))
	for i, s := range v.samples {
		d[i] = f(s)
	}
	return median(d)
}

// medianOver is the median, over the rounds, of v's sample less ref's of
// the same round (f of each): what v adds to ref, with the drift and load
// that move both rows of a round cancelled, where the difference of two
// medians carries the noise of both.
func (v *variant) medianOver(ref *variant, f func(sample) time.Duration) time.Duration {
	d := make([]time.Duration, min(len(v.samples), len(ref.samples)))
	for i := range d {
		d[i] = f(v.samples[i]) - f(ref.samples[i])
	}
	return median(d)
}

func median(d []time.Duration) time.Duration {
	sort.Slice(d, func(i, j int) bool { return d[i] < d[j] })
	n := len(d)
	if n == 0 {
		return 0
	}
	if n%2 == 1 {
		return d[n/2]
	}
	return (d[n/2-1] + d[n/2]) / 2
}

func (v *variant) min() time.Duration {
	m := time.Duration(0)
	for i, s := range v.samples {
		if i == 0 || s.wall < m {
			m = s.wall
		}
	}
	return m
}

// peakRSS is the largest peak RSS over the runs, in kB.
func (v *variant) peakRSS() int64 {
	var m int64
	for _, s := range v.samples {
		m = max(m, s.rssKB)
	}
	return m
}

// stsPerRun is the mean number of STS requests per run.
func (v *variant) stsPerRun() float64 {
	if len(v.samples) == 0 {
		return 0
	}
	t := 0
	for _, s := range v.samples {
		t += s.stsOps
	}
	return float64(t) / float64(len(v.samples))
}

// alternate runs each variant of vs once per round, rotating the order every
// round so that neither drift nor position favours a row. The first round is
// a warm-up and is not recorded.
func (b *bench) alternate(ctx context.Context, rounds int, vs []*variant) error {
	for r := -1; r < rounds; r++ {
		for i := range vs {
			v := vs[(i+max(r, 0))%len(vs)]
			s, err := b.runVariant(ctx, v)
			if err != nil {
				return fmt.Errorf("%s: %w", v.label, err)
			}
			if r >= 0 {
				v.samples = append(v.samples, s)
			}
		}
	}
	return nil
}

func (b *bench) runVariant(ctx context.Context, v *variant) (sample, error) {
	if v.prepare != nil {
		if err := v.prepare(); err != nil {
			return sample{}, err
		}
	}
	c, err := v.cmd()
	if err != nil {
		return sample{}, err
	}
	before := b.stsTotal()
	s, err := b.time(ctx, c)
	s.stsOps = b.stsTotal() - before
	return s, err
}

func (b *bench) stsTotal() int {
	n := 0
	for _, v := range b.srv.STSCalls() {
		n += v
	}
	return n
}

// time runs c through the spawner (bench/spawn) and returns the child's
// wall time and peak RSS as the spawner measured them. The timed process is
// forked by that small program, not by the bench: a child's peak RSS starts
// at its parent's resident set (vfork shares the parent's pages until exec,
// fork copies them), and the bench with its server takes some 15 MB.
func (b *bench) time(ctx context.Context, c spec) (sample, error) {
	ctx, cancel := context.WithTimeout(ctx, 5*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, b.spawner, append([]string{c.name}, c.args...)...)
	cmd.Dir = c.dir
	if cmd.Dir == "" {
		cmd.Dir = b.work
	}
	cmd.Env = c.env
	if cmd.Env == nil {
		cmd.Env = b.env
	}
	cmd.Stdin = strings.NewReader(c.stdin)
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	r, w, err := os.Pipe()
	if err != nil {
		return sample{}, err
	}
	defer r.Close()
	cmd.ExtraFiles = []*os.File{w}
	err = cmd.Start()
	w.Close()
	if err != nil {
		return sample{}, err
	}
	report, _ := io.ReadAll(r)
	err = cmd.Wait()
	var ee *exec.ExitError
	switch {
	case err != nil && !errors.As(err, &ee):
		return sample{}, err
	case c.fail && err == nil:
		return sample{}, fmt.Errorf("%s %s: succeeded, expected a failure", c.name, strings.Join(c.args, " "))
	case !c.fail && err != nil:
		return sample{}, fmt.Errorf("%s %s: %v\n%s%s", c.name, strings.Join(c.args, " "), err, out.String(), errb.String())
	}
	var ns, kb, cpu int64
	if _, err := fmt.Sscan(string(report), &ns, &kb, &cpu); err != nil {
		return sample{}, fmt.Errorf("%s: no measurement from the spawner (%q): %v", c.name, report, err)
	}
	return sample{wall: time.Duration(ns), rssKB: kb, cpu: time.Duration(cpu)}, nil
}

// must runs an untimed setup command.
func (b *bench) must(ctx context.Context, dir string, name string, args ...string) error {
	_, err := b.time(ctx, spec{name: name, args: args, dir: dir})
	return err
}

func removeAll(dir string) func() error {
	return func() error { return os.RemoveAll(dir) }
}
