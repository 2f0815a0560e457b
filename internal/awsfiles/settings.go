package awsfiles

import "strings"

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
// [NAME] sets winning. Unreadable files count as empty; Check reports them.
func (f Files) ProfileSettings(profile string) Settings {
	var s Settings
	if profile == "" {
		return s
	}
	fips := ""
	if cfg, err := Read(f.Config); err == nil {
		name := "profile " + profile
		if profile == "default" && !cfg.Has(name) {
			name = "default"
		}
		if m, found := cfg.Map(name); found {
			s.Found = true
			s.Region, fips = m["region"], m["use_fips_endpoint"]
		}
	}
	if !strings.HasPrefix(profile, "profile ") {
		if creds, err := Read(f.Credentials); err == nil {
			if m, found := creds.Map(profile); found {
				s.Found = true
				if v, ok := m["region"]; ok {
					s.Region = v
				}
				if v, ok := m["use_fips_endpoint"]; ok {
					fips = v
				}
			}
		}
	}
	s.FIPS = strings.EqualFold(fips, "true")
	return s
}
