package awsfiles

import "strings"

// Loaded are the two shared files as read once for one git command: the
// target's settings and the credentials without the SDK come from the same
// bytes, so a generated config of thousands of profiles is read once.
type Loaded struct {
	Config, Credentials *File
	Err                 error // the first file that could not be read (Check names it); nil Files then
}

// Load reads both files.
func (f Files) Load() Loaded {
	var l Loaded
	if f.Problem != "" {
		l.Err = &NoHomeError{Reason: f.Problem}
		return l
	}
	if l.Config, l.Err = Read(f.Config); l.Err != nil {
		return Loaded{Err: l.Err}
	}
	if l.Credentials, l.Err = Read(f.Credentials); l.Err != nil {
		return Loaded{Err: l.Err}
	}
	return l
}

// Settings are the settings of a profile that decide where a git command
// goes, as aws-sdk-go-v2 reads them: region and use_fips_endpoint.
type Settings struct {
	Region string
	FIPS   bool // use_fips_endpoint = true (any case)
	Found  bool // the profile is in either file
}

// ProfileSettings returns profile's Settings, merged as the SDK merges the
// two files: the config file's [profile NAME] ([profile default] before
// [default] for the default profile), with a value the credentials file's
// [NAME] sets winning. Files that could not be read count as empty; Check
// reports them.
func (l Loaded) ProfileSettings(profile string) Settings {
	var s Settings
	if profile == "" || l.Err != nil {
		return s
	}
	fips := ""
	name := "profile " + profile
	if profile == "default" && !l.Config.Has(name) {
		name = "default"
	}
	if m, found := l.Config.Map(name); found {
		s.Found = true
		s.Region, fips = m["region"], m["use_fips_endpoint"]
	}
	if !strings.HasPrefix(profile, "profile ") {
		if m, found := l.Credentials.Map(profile); found {
			s.Found = true
			if v, ok := m["region"]; ok {
				s.Region = v
			}
			if v, ok := m["use_fips_endpoint"]; ok {
				fips = v
			}
		}
	}
	s.FIPS = strings.EqualFold(fips, "true")
	return s
}
