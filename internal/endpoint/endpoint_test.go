package endpoint

import (
	"errors"
	"strings"
	"testing"
)

func TestTable(t *testing.T) {
	rs := Regions()
	if len(rs) != 29 {
		t.Fatalf("Regions() has %d entries, want 29", len(rs))
	}
	count := map[string]int{}
	for _, r := range rs {
		count[r.Partition]++
	}
	if count[PartitionAWS] != 25 || count[PartitionChina] != 2 || count[PartitionGov] != 2 {
		t.Errorf("partition counts = %v, want aws:25 aws-cn:2 aws-us-gov:2", count)
	}
	want := []string{"us-east-1", "us-east-2", "us-west-1", "us-west-2", "ca-central-1", "us-gov-west-1", "us-gov-east-1"}
	got := FIPSRegions()
	if strings.Join(got, ",") != strings.Join(want, ",") {
		t.Errorf("FIPSRegions() = %v, want %v", got, want)
	}
	// Regions returns a copy.
	rs[0].Name = "xx-mutated-1"
	if !Known("us-east-1") || Known("xx-mutated-1") {
		t.Error("Regions() must return a copy")
	}
}

func TestParseTableRejects(t *testing.T) {
	for _, in := range []string{
		"us-east-1 aws",
		"us-east-1 aws fips extra",
		"US-EAST-1 aws -",
		"us-east-1 aws-xx -",
		"us-east-1 aws yes",
		"us-east-1 aws -\nus-east-1 aws -",
	} {
		if _, err := parseTable(in); err == nil {
			t.Errorf("parseTable(%q) succeeded, want error", in)
		}
	}
}

func TestResolveEveryRegion(t *testing.T) {
	hosts := map[string]string{
		"us-east-1":      "git-codecommit.us-east-1.amazonaws.com",
		"us-east-2":      "git-codecommit.us-east-2.amazonaws.com",
		"us-west-1":      "git-codecommit.us-west-1.amazonaws.com",
		"us-west-2":      "git-codecommit.us-west-2.amazonaws.com",
		"af-south-1":     "git-codecommit.af-south-1.amazonaws.com",
		"ap-east-1":      "git-codecommit.ap-east-1.amazonaws.com",
		"ap-south-1":     "git-codecommit.ap-south-1.amazonaws.com",
		"ap-south-2":     "git-codecommit.ap-south-2.amazonaws.com",
		"ap-northeast-1": "git-codecommit.ap-northeast-1.amazonaws.com",
		"ap-northeast-2": "git-codecommit.ap-northeast-2.amazonaws.com",
		"ap-northeast-3": "git-codecommit.ap-northeast-3.amazonaws.com",
		"ap-southeast-1": "git-codecommit.ap-southeast-1.amazonaws.com",
		"ap-southeast-2": "git-codecommit.ap-southeast-2.amazonaws.com",
		"ap-southeast-3": "git-codecommit.ap-southeast-3.amazonaws.com",
		"ca-central-1":   "git-codecommit.ca-central-1.amazonaws.com",
		"eu-central-1":   "git-codecommit.eu-central-1.amazonaws.com",
		"eu-west-1":      "git-codecommit.eu-west-1.amazonaws.com",
		"eu-west-2":      "git-codecommit.eu-west-2.amazonaws.com",
		"eu-west-3":      "git-codecommit.eu-west-3.amazonaws.com",
		"eu-north-1":     "git-codecommit.eu-north-1.amazonaws.com",
		"eu-south-1":     "git-codecommit.eu-south-1.amazonaws.com",
		"il-central-1":   "git-codecommit.il-central-1.amazonaws.com",
		"me-central-1":   "git-codecommit.me-central-1.amazonaws.com",
		"me-south-1":     "git-codecommit.me-south-1.amazonaws.com",
		"sa-east-1":      "git-codecommit.sa-east-1.amazonaws.com",
		"cn-north-1":     "git-codecommit.cn-north-1.amazonaws.com.cn",
		"cn-northwest-1": "git-codecommit.cn-northwest-1.amazonaws.com.cn",
		"us-gov-west-1":  "git-codecommit.us-gov-west-1.amazonaws.com",
		"us-gov-east-1":  "git-codecommit.us-gov-east-1.amazonaws.com",
	}
	if len(hosts) != len(Regions()) {
		t.Fatalf("test covers %d regions, table has %d", len(hosts), len(Regions()))
	}
	for _, r := range Regions() {
		t.Run(r.Name, func(t *testing.T) {
			want, ok := hosts[r.Name]
			if !ok {
				t.Fatalf("region %s missing from test", r.Name)
			}
			ep, err := Resolve(Options{Region: r.Name})
			if err != nil {
				t.Fatal(err)
			}
			if ep.Host != want || ep.Partition != r.Partition || ep.FIPS || ep.Overridden || ep.Warning != "" {
				t.Errorf("Resolve = %+v, want host %s partition %s", ep, want, r.Partition)
			}
			info, ok := ParseHost(ep.Host)
			if !ok || info.Region != r.Name || info.FIPS || info.VPCEndpoint {
				t.Errorf("ParseHost(%s) = %+v, %v", ep.Host, info, ok)
			}
		})
	}
}

func TestResolveFIPS(t *testing.T) {
	tests := []struct {
		region string
		host   string // "" means error
	}{
		{"us-east-1", "git-codecommit-fips.us-east-1.amazonaws.com"},
		{"us-east-2", "git-codecommit-fips.us-east-2.amazonaws.com"},
		{"us-west-1", "git-codecommit-fips.us-west-1.amazonaws.com"},
		{"us-west-2", "git-codecommit-fips.us-west-2.amazonaws.com"},
		{"ca-central-1", "git-codecommit-fips.ca-central-1.amazonaws.com"},
		{"us-gov-west-1", "git-codecommit-fips.us-gov-west-1.amazonaws.com"},
		{"us-gov-east-1", "git-codecommit-fips.us-gov-east-1.amazonaws.com"},
		{"eu-west-1", ""},
		{"cn-north-1", ""},
		{"ap-southeast-5", ""}, // unknown region: no known FIPS endpoint
	}
	for _, tt := range tests {
		t.Run(tt.region, func(t *testing.T) {
			ep, err := Resolve(Options{Region: tt.region, FIPS: true})
			if tt.host == "" {
				var e *Error
				if !errors.As(err, &e) {
					t.Fatalf("Resolve = %+v, %v; want *Error", ep, err)
				}
				msg := err.Error()
				if !strings.Contains(msg, tt.region) || !strings.Contains(msg, "us-gov-east-1") || !strings.Contains(msg, "ca-central-1") {
					t.Errorf("error %q should name the region and list the FIPS regions", msg)
				}
				if !strings.Contains(e.Hint(), "AWS_USE_FIPS_ENDPOINT") || !strings.Contains(e.Hint(), "use_fips_endpoint") {
					t.Errorf("hint %q should mention AWS_USE_FIPS_ENDPOINT and use_fips_endpoint", e.Hint())
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if ep.Host != tt.host || !ep.FIPS {
				t.Errorf("Resolve = %+v, want FIPS host %s", ep, tt.host)
			}
			info, ok := ParseHost(ep.Host)
			if !ok || !info.FIPS || info.Region != tt.region {
				t.Errorf("ParseHost(%s) = %+v, %v", ep.Host, info, ok)
			}
		})
	}
}

func TestResolveOverride(t *testing.T) {
	tests := []struct {
		name     string
		override string
		fips     bool
		host     string // "" means error
	}{
		{"host", "git-codecommit.us-east-1.amazonaws.com", false, "git-codecommit.us-east-1.amazonaws.com"},
		{"host and port", "localhost:8443", false, "localhost:8443"},
		{"https and slash", "https://proxy.example.com:8443/", false, "proxy.example.com:8443"},
		{"HTTPS upper", "HTTPS://proxy.example.com", false, "proxy.example.com"},
		{"case kept", "Proxy.Example.com", false, "Proxy.Example.com"},
		{"ipv4", "127.0.0.1:9000", false, "127.0.0.1:9000"},
		{"ipv6", "[::1]:8443", false, "[::1]:8443"},
		{"ipv6 no port", "https://[2001:db8::1]/", false, "[2001:db8::1]"},
		{"fips ignored", "vpce-0123456789abcdef0-abcdefgh.git-codecommit.us-east-1.vpce.amazonaws.com", true,
			"vpce-0123456789abcdef0-abcdefgh.git-codecommit.us-east-1.vpce.amazonaws.com"},
		{"path", "https://proxy.example.com/v1/repos", false, ""},
		{"query", "proxy.example.com?x=1", false, ""},
		{"fragment", "proxy.example.com#x", false, ""},
		{"space", "proxy example.com", false, ""},
		{"trailing space", "proxy.example.com ", false, ""},
		{"newline", "proxy.example.com\n", false, ""},
		{"userinfo", "https://user:pw@proxy.example.com", false, ""},
		{"user only", "user@proxy.example.com", false, ""},
		{"http", "http://proxy.example.com", false, ""},
		{"other scheme", "ssh://proxy.example.com", false, ""},
		{"only scheme", "https://", false, ""},
		{"slash only", "/", false, ""},
		{"empty port", "proxy.example.com:", false, ""},
		{"port zero", "proxy.example.com:0", false, ""},
		{"port too big", "proxy.example.com:65536", false, ""},
		{"port text", "proxy.example.com:https", false, ""},
		{"port sign", "proxy.example.com:+80", false, ""},
		{"two colons", "proxy.example.com:80:80", false, ""},
		{"bare ipv6", "::1", false, ""},
		{"bad ipv6", "[zz]:80", false, ""},
		{"ipv4 in brackets", "[127.0.0.1]", false, ""},
		{"unterminated ipv6", "[::1", false, ""},
		{"empty label", "proxy..example.com", false, ""},
		{"bad char", "proxy!.example.com", false, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ep, err := Resolve(Options{Region: "us-east-1", FIPS: tt.fips, Override: tt.override})
			if tt.host == "" {
				var e *Error
				if !errors.As(err, &e) {
					t.Fatalf("Resolve(%q) = %+v, %v; want *Error", tt.override, ep, err)
				}
				if e.Hint() == "" || strings.Contains(err.Error(), "\n") || !strings.Contains(err.Error(), "CODE_COMMIT_ENDPOINT") {
					t.Errorf("poor error: %q / hint %q", err, e.Hint())
				}
				return
			}
			if err != nil {
				t.Fatalf("Resolve(%q): %v", tt.override, err)
			}
			want := Endpoint{Host: tt.host, Overridden: true}
			if ep != want {
				t.Errorf("Resolve(%q) = %+v, want %+v", tt.override, ep, want)
			}
		})
	}
}

func TestResolveOverrideStillNeedsRegion(t *testing.T) {
	if _, err := Resolve(Options{Override: "localhost:8443"}); err == nil {
		t.Error("override without region should fail: the region scopes the signature")
	}
	ep, err := Resolve(Options{Region: "xx-nowhere-9", Override: "localhost:8443"})
	if err != nil || ep.Warning != "" {
		t.Errorf("override with unknown region = %+v, %v; want no error, no warning", ep, err)
	}
}

func TestResolveUnknownRegion(t *testing.T) {
	tests := []struct {
		region, host, partition string
	}{
		{"ap-southeast-5", "git-codecommit.ap-southeast-5.amazonaws.com", PartitionAWS},
		{"eu-central-2", "git-codecommit.eu-central-2.amazonaws.com", PartitionAWS},
		{"ca-west-1", "git-codecommit.ca-west-1.amazonaws.com", PartitionAWS},
		{"cn-south-1", "git-codecommit.cn-south-1.amazonaws.com.cn", PartitionChina},
		{"us-gov-central-1", "git-codecommit.us-gov-central-1.amazonaws.com", PartitionGov},
	}
	for _, tt := range tests {
		t.Run(tt.region, func(t *testing.T) {
			if Known(tt.region) {
				t.Fatalf("%s is in the table; pick another unknown region", tt.region)
			}
			ep, err := Resolve(Options{Region: tt.region})
			if err != nil {
				t.Fatal(err)
			}
			if ep.Host != tt.host || ep.Partition != tt.partition {
				t.Errorf("Resolve = %+v, want %s (%s)", ep, tt.host, tt.partition)
			}
			want := "region " + tt.region + " is not a known CodeCommit region; trying " + tt.host
			if ep.Warning != want {
				t.Errorf("Warning = %q, want %q", ep.Warning, want)
			}
		})
	}
}

func TestResolveMalformedRegion(t *testing.T) {
	for _, region := range []string{"", "useast1", "US-EAST-1", "us_east_1", "us-east", "us-east-1a", "-us-east-1",
		"us-east-1 ", "u-east-1", "us--east-1", "us-east-1-", "git-codecommit.us-east-1", "us-east-1/../x"} {
		t.Run(region, func(t *testing.T) {
			ep, err := Resolve(Options{Region: region})
			var e *Error
			if !errors.As(err, &e) {
				t.Fatalf("Resolve(%q) = %+v, %v; want *Error", region, ep, err)
			}
			if e.Hint() == "" || e.Input != region {
				t.Errorf("error %+v: want input and hint", e)
			}
			if region != "" && !strings.Contains(err.Error(), "malformed AWS region") {
				t.Errorf("error = %q", err)
			}
			if msg := err.Error(); strings.ToLower(msg[:1]) != msg[:1] {
				t.Errorf("error %q should start lowercase", msg)
			}
		})
	}
}

func TestRepoURL(t *testing.T) {
	tests := []struct{ host, repo, want string }{
		{"git-codecommit.us-east-1.amazonaws.com", "demo", "https://git-codecommit.us-east-1.amazonaws.com/v1/repos/demo"},
		{"localhost:8443", "My_Repo.v2-x", "https://localhost:8443/v1/repos/My_Repo.v2-x"},
		{"h", "a/b", "https://h/v1/repos/a%2Fb"},
	}
	for _, tt := range tests {
		if got := RepoURL(tt.host, tt.repo); got != tt.want {
			t.Errorf("RepoURL(%q, %q) = %q, want %q", tt.host, tt.repo, got, tt.want)
		}
	}
}

func TestParseHost(t *testing.T) {
	tests := []struct {
		host string
		ok   bool
		want HostInfo
	}{
		{"git-codecommit.us-east-1.amazonaws.com", true, HostInfo{Region: "us-east-1"}},
		{"git-codecommit.us-east-1.amazonaws.com:443", true, HostInfo{Region: "us-east-1"}},
		{"GIT-CODECOMMIT.EU-WEST-1.AMAZONAWS.COM", true, HostInfo{Region: "eu-west-1"}},
		{"git-codecommit.us-east-1.amazonaws.com.", true, HostInfo{Region: "us-east-1"}},
		{"git-codecommit.ap-southeast-5.amazonaws.com", true, HostInfo{Region: "ap-southeast-5"}},
		{"git-codecommit.us-gov-west-1.amazonaws.com", true, HostInfo{Region: "us-gov-west-1"}},
		{"git-codecommit-fips.us-east-2.amazonaws.com", true, HostInfo{Region: "us-east-2", FIPS: true}},
		{"git-codecommit-fips.us-gov-east-1.amazonaws.com:443", true, HostInfo{Region: "us-gov-east-1", FIPS: true}},
		{"git-codecommit.cn-north-1.amazonaws.com.cn", true, HostInfo{Region: "cn-north-1"}},
		{"git-codecommit.cn-northwest-1.amazonaws.com.cn:443", true, HostInfo{Region: "cn-northwest-1"}},
		{"vpce-0123456789abcdef0-abcdefgh.git-codecommit.us-east-1.vpce.amazonaws.com", true,
			HostInfo{Region: "us-east-1", VPCEndpoint: true}},
		{"vpce-0123456789abcdef0-abcdefgh-us-east-1a.git-codecommit.us-east-1.vpce.amazonaws.com", true,
			HostInfo{Region: "us-east-1", VPCEndpoint: true}},
		{"vpce-0123456789abcdef0-abcdefgh.git-codecommit-fips.us-west-2.vpce.amazonaws.com:443", true,
			HostInfo{Region: "us-west-2", FIPS: true, VPCEndpoint: true}},
		{"vpce-0123456789abcdef0-abcdefgh.git-codecommit.cn-north-1.vpce.amazonaws.com.cn", true,
			HostInfo{Region: "cn-north-1", VPCEndpoint: true}},

		// Not CodeCommit, or lookalikes.
		{"", false, HostInfo{}},
		{":443", false, HostInfo{}},
		{"github.com", false, HostInfo{}},
		{"amazonaws.com", false, HostInfo{}},
		{"codecommit.us-east-1.amazonaws.com", false, HostInfo{}},
		{"git-codecommit.amazonaws.com", false, HostInfo{}},
		{"git-codecommit.us-east-1.amazonaws.com.evil", false, HostInfo{}},
		{"git-codecommit.us-east-1.amazonaws.com.attacker.com", false, HostInfo{}},
		{"evil.git-codecommit.us-east-1.amazonaws.com.attacker.com", false, HostInfo{}},
		{"evil.git-codecommit.us-east-1.amazonaws.com", false, HostInfo{}},
		{"git-codecommit.us-east-1.amazonaws.com.cn", false, HostInfo{}},
		{"git-codecommit.cn-north-1.amazonaws.com", false, HostInfo{}},
		{"git-codecommit.us-east-1.amazonawscom", false, HostInfo{}},
		{"git-codecommitXus-east-1.amazonaws.com", false, HostInfo{}},
		{"git-codecommit.US_EAST_1.amazonaws.com", false, HostInfo{}},
		{"git-codecommit.us-east-1.amazonaws.com:", false, HostInfo{}},
		{"git-codecommit.us-east-1.amazonaws.com:https", false, HostInfo{}},
		{"git-codecommit.us-east-1.amazonaws.com:443:443", false, HostInfo{}},
		{"git-codecommit-fipsx.us-east-1.amazonaws.com", false, HostInfo{}},
		{"vpce-0123456789abcdef0-abcdefgh.git-codecommit.us-east-1.amazonaws.com", false, HostInfo{}},
		{"evil-0123.git-codecommit.us-east-1.vpce.amazonaws.com", false, HostInfo{}},
		{"vpce-xyz-abc.git-codecommit.us-east-1.vpce.amazonaws.com", false, HostInfo{}},
		{"vpce-0123.evil.git-codecommit.us-east-1.vpce.amazonaws.com", false, HostInfo{}},
		{"vpce-0123-abc.codecommit.us-east-1.vpce.amazonaws.com", false, HostInfo{}},
		{"user@git-codecommit.us-east-1.amazonaws.com", false, HostInfo{}},
		{"git-codecommit.us-east-1.amazonaws.com/v1/repos/x", false, HostInfo{}},
	}
	for _, tt := range tests {
		t.Run(tt.host, func(t *testing.T) {
			got, ok := ParseHost(tt.host)
			if ok != tt.ok || got != tt.want {
				t.Errorf("ParseHost(%q) = %+v, %v; want %+v, %v", tt.host, got, ok, tt.want, tt.ok)
			}
		})
	}
}

func FuzzParseHost(f *testing.F) {
	for _, s := range []string{
		"git-codecommit.us-east-1.amazonaws.com",
		"git-codecommit-fips.us-gov-west-1.amazonaws.com:443",
		"git-codecommit.cn-north-1.amazonaws.com.cn",
		"vpce-0123456789abcdef0-abcdefgh-us-east-1a.git-codecommit-fips.us-east-1.vpce.amazonaws.com",
		"github.com", "", ":", ".", "a.amazonaws.com.cn",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, host string) {
		info, ok := ParseHost(host)
		if !ok {
			if info != (HostInfo{}) {
				t.Fatalf("ParseHost(%q) = %+v with ok=false", host, info)
			}
			return
		}
		if ValidRegion(info.Region) != nil {
			t.Fatalf("ParseHost(%q) returned malformed region %q", host, info.Region)
		}
		// A recognised non-VPC host for a region Resolve can serve must be
		// exactly the host Resolve builds.
		if info.VPCEndpoint {
			return
		}
		ep, err := Resolve(Options{Region: info.Region, FIPS: info.FIPS})
		if err != nil {
			return
		}
		h := strings.ToLower(host)
		if i := strings.LastIndexByte(h, ':'); i >= 0 {
			h = h[:i]
		}
		if strings.TrimSuffix(h, ".") != ep.Host {
			t.Fatalf("ParseHost(%q) = %+v but Resolve gives %s", host, info, ep.Host)
		}
	})
}

func TestOverrideHost(t *testing.T) {
	for in, want := range map[string]string{
		"":                        "",
		"127.0.0.1:8443":          "127.0.0.1:8443",
		"https://localhost:9443/": "localhost:9443",
		"http://x":                "",
		"a host":                  "",
	} {
		if got := OverrideHost(in); got != want {
			t.Errorf("OverrideHost(%q) = %q, want %q", in, got, want)
		}
	}
}

// TestOverrideWireHost: CODE_COMMIT_ENDPOINT's host is signed as curl sends
// it: a default port dropped, any other kept (issue 13 item 5).
func TestOverrideWireHost(t *testing.T) {
	for in, want := range map[string]string{
		"git-codecommit.us-east-1.amazonaws.com:443": "git-codecommit.us-east-1.amazonaws.com",
		"https://codecommit.internal.example:443/":   "codecommit.internal.example",
		"localhost:8443": "localhost:8443",
		"[::1]:443":      "[::1]",
	} {
		if got := OverrideHost(in); got != want {
			t.Errorf("OverrideHost(%q) = %q, want %q", in, got, want)
		}
	}
}

// TestIsOverride: the one rule for "this host is CODE_COMMIT_ENDPOINT's",
// which the credential helper, url/clone and doctor all ask.
func TestIsOverride(t *testing.T) {
	for _, c := range []struct {
		host, override string
		want           bool
	}{
		{"localhost:8443", "localhost:8443", true},
		{"LocalHost:8443", "https://localhost:8443/", true},
		{"vpce.example.com", "vpce.example.com:443", true},
		{"vpce.example.com:443", "vpce.example.com", true},
		{"localhost:8443", "localhost:9443", false},
		{"localhost", "localhost:8443", false},
		{"", "", false},
		{"x", "", false},
		{"", "localhost:8443", false},
		{"evil.example.com", "bad value", false},
	} {
		if got := IsOverride(c.host, c.override); got != c.want {
			t.Errorf("IsOverride(%q, %q) = %v, want %v", c.host, c.override, got, c.want)
		}
	}
}
