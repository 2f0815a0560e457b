package proc

import (
	"reflect"
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
