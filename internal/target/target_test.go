package target

import "testing"

func envOf(m map[string]string) func(string) string { return func(k string) string { return m[k] } }

// Issue 13 items 1, 2 and 4: botocore's order, every spelling of a region.
func TestPrecedence(t *testing.T) {
	for _, tc := range []struct {
		name          string
		env           map[string]string
		named, given  string
		profileRegion string
		profile       string
		ps            ProfileSource
		region        string
		rs            RegionSource
	}{
		{name: "nothing", profile: "default", ps: ProfileDefault, rs: RegionNone},
		{name: "named beats the environment", env: map[string]string{"AWS_PROFILE": "a", "AWS_DEFAULT_PROFILE": "b"}, named: "n", profile: "n", ps: ProfileNamed, rs: RegionNone},
		{name: "AWS_DEFAULT_PROFILE beats AWS_PROFILE", env: map[string]string{"AWS_PROFILE": "a", "AWS_DEFAULT_PROFILE": "b"}, profile: "b", ps: ProfileAWSDefaultProfile, rs: RegionNone},
		{name: "AWS_PROFILE alone", env: map[string]string{"AWS_PROFILE": "a"}, profile: "a", ps: ProfileAWSProfile, rs: RegionNone},
		{name: "URL region first", env: map[string]string{"AWS_REGION": "eu-west-1", "AWS_DEFAULT_REGION": "eu-west-2"}, given: "US-EAST-1", profileRegion: "eu-west-3",
			profile: "default", region: "us-east-1", rs: RegionGiven},
		{name: "AWS_REGION beats the profile", env: map[string]string{"AWS_REGION": "eu-west-1", "AWS_DEFAULT_REGION": "eu-west-2"}, profileRegion: "eu-west-3",
			profile: "default", region: "eu-west-1", rs: RegionAWSRegion},
		{name: "AWS_DEFAULT_REGION beats the profile", env: map[string]string{"AWS_DEFAULT_REGION": "EU-WEST-2"}, profileRegion: "eu-west-3",
			profile: "default", region: "eu-west-2", rs: RegionAWSDefaultRegion},
		{name: "the profile last", profileRegion: "Eu-West-3", profile: "default", region: "eu-west-3", rs: RegionProfile},
		{name: "malformed kept for endpoint's message", env: map[string]string{"AWS_REGION": "moon_1"}, profile: "default", region: "moon_1", rs: RegionAWSRegion},
	} {
		t.Run(tc.name, func(t *testing.T) {
			env := envOf(tc.env)
			p, ps := profile(tc.named, env)
			r, rs := region(tc.given, env, tc.profileRegion)
			if p != tc.profile || ps != tc.ps || r != tc.region || rs != tc.rs {
				t.Errorf("got profile %q (%v), region %q (%v); want %q (%v), %q (%v)", p, ps, r, rs, tc.profile, tc.ps, tc.region, tc.rs)
			}
		})
	}
}

func TestFIPS(t *testing.T) {
	for _, tc := range []struct {
		env  string
		prof bool
		on   bool
		src  FIPSSource
	}{
		{"", false, false, FIPSOff}, {"true", false, true, FIPSEnv}, {" TRUE ", true, true, FIPSEnv},
		{"", true, true, FIPSProfile}, {"false", true, true, FIPSProfile}, {"yes", false, false, FIPSOff},
	} {
		on, src := fips(envOf(map[string]string{"AWS_USE_FIPS_ENDPOINT": tc.env}), tc.prof)
		if on != tc.on || src != tc.src {
			t.Errorf("FIPS(%q, %v) = %v, %v; want %v, %v", tc.env, tc.prof, on, src, tc.on, tc.src)
		}
	}
}
