package repourl

import "testing"

var sinkURL URL

// BenchmarkParse parses each URL form git hands the helper.
func BenchmarkParse(b *testing.B) {
	for _, in := range []string{
		"codecommit://demo",
		"codecommit://dev@demo",
		"us-west-2://dev@my-repo.name_1",
		"codecommit::eu-central-1://profile-with.dots@repository",
	} {
		b.Run(in, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				u, err := Parse(in)
				if err != nil {
					b.Fatal(err)
				}
				sinkURL = u
			}
		})
	}
}

// BenchmarkParseArgs is what git-remote-codecommit does with its arguments.
func BenchmarkParseArgs(b *testing.B) {
	args := []string{"origin", "codecommit://dev@demo"}
	b.ReportAllocs()
	for b.Loop() {
		_, u, err := ParseArgs(args)
		if err != nil {
			b.Fatal(err)
		}
		sinkURL = u
	}
	if sinkURL.Repo != "demo" || sinkURL.Profile != "dev" {
		b.Fatalf("got %+v", sinkURL)
	}
}
