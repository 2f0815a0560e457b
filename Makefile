# The README's two commands: `make demo` and `make check` (`make test`, then
# the end-to-end suite on the two Debian gits; `.ci/run` runs it).
GO      ?= go
PKGS    ?= ./...
FUZZTIME ?= 10000x

.PHONY: all build check test test-git demo bench fuzz lint unit fuzz-short cross clean man install install-files uninstall

all: build

build:
	CGO_ENABLED=0 $(GO) build -trimpath -o bin/ ./cmd/...

# Every test: static checks, unit and end-to-end tests, a short run of every
# fuzz target, and static builds for every platform. What each step costs
# warm (nothing changed since the last run) on the 2-core development
# machine, in CPU time (user+sys):
#   lint        about 4 s (gofmt, go mod tidy -diff, vet, staticcheck: cached)
#   unit        about 9 s: Go's test cache replays every package whose code,
#               test data, programs under test (GITTEST_TOOLS), git and
#               environment are unchanged; TESTFLAGS=-count=1 runs them all
#               (about 4 min of CPU: real git in the end-to-end tests)
#   fuzz-short  about 30 s, eight targets two at a time (most of it the
#               links of the instrumented binaries)
#   cross       about 20 s (six platforms' links, three vets)
# The four are independent and run side by side (TESTJOBS at once, default
# 2).
TESTJOBS ?= 2
test:
	@$(MAKE) --no-print-directory -j$(TESTJOBS) lint unit fuzz-short cross

lint:
	@out=$$(gofmt -l $$(git ls-files '*.go' 2>/dev/null || find . -name '*.go')); \
	  if [ -n "$$out" ]; then echo "gofmt would change:"; echo "$$out"; exit 1; fi
	$(GO) mod tidy -diff
	$(GO) vet $(PKGS)
	$(GO) tool staticcheck $(PKGS)

unit:
	GO=$(GO) TESTFLAGS="$(TESTFLAGS)" ./scripts/unit.sh $(PKGS)

# Every test: make test on the system git, then on git 2.30.2 and 2.47.3.
check: test
	GO=$(GO) PKGS="$(PKGS)" GIT_VERSIONS="2.30.2 2.47.3" ./scripts/test-git.sh

# Every test once per git: 2.30.2 and 2.47.3 (built by scripts/build-git.sh
# into a cache outside the repository) and the system git.
test-git:
	GO=$(GO) PKGS="$(PKGS)" ./scripts/test-git.sh

# 10000 executions per target after the seed corpus and the inputs Go
# cached from earlier runs: new inputs on every run, at about a fifth of the
# cost of 100000x. The seed corpus alone is already run by unit; make fuzz
# goes deep (60 s per target).
fuzz-short:
	FUZZTIME=$(FUZZTIME) ./scripts/fuzz.sh

fuzz:
	FUZZTIME=60s ./scripts/fuzz.sh

cross:
	./scripts/cross.sh

# Installing from a checkout: the three programs, their manual pages and the
# completion scripts under PREFIX (DESTDIR for staging); uninstall removes
# exactly those files.
PREFIX  ?= /usr/local
BIN     ?= bin
INSTALLED = $(DESTDIR)$(PREFIX)/bin/git-codecommit $(DESTDIR)$(PREFIX)/bin/git-remote-codecommit \
	$(DESTDIR)$(PREFIX)/bin/git-credential-codecommit \
	$(DESTDIR)$(PREFIX)/share/bash-completion/completions/git-codecommit \
	$(DESTDIR)$(PREFIX)/share/zsh/site-functions/_git-codecommit \
	$(DESTDIR)$(PREFIX)/share/fish/vendor_completions.d/git-codecommit.fish \
	$(addprefix $(DESTDIR)$(PREFIX)/share/man/man1/,$(notdir $(wildcard man/man1/*.1)))

install: build install-files

install-files:
	install -d $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(PREFIX)/share/man/man1 \
	  $(DESTDIR)$(PREFIX)/share/bash-completion/completions $(DESTDIR)$(PREFIX)/share/zsh/site-functions \
	  $(DESTDIR)$(PREFIX)/share/fish/vendor_completions.d
	install -m 755 $(BIN)/git-codecommit $(BIN)/git-remote-codecommit $(BIN)/git-credential-codecommit $(DESTDIR)$(PREFIX)/bin/
	install -m 644 man/man1/*.1 $(DESTDIR)$(PREFIX)/share/man/man1/
	$(BIN)/git-codecommit completion bash > $(DESTDIR)$(PREFIX)/share/bash-completion/completions/git-codecommit
	$(BIN)/git-codecommit completion zsh > $(DESTDIR)$(PREFIX)/share/zsh/site-functions/_git-codecommit
	$(BIN)/git-codecommit completion fish > $(DESTDIR)$(PREFIX)/share/fish/vendor_completions.d/git-codecommit.fish

uninstall:
	rm -f $(INSTALLED)

# The manual pages: docs/man/*.md rendered to roff in man/man1 (checked in;
# a unit test fails when they are not current).
man:
	rm -f man/man1/*.1
	$(GO) run ./internal/manual/mangen man/man1

demo: build
	./scripts/demo.sh

# The https rows of git 2.47.3 (proactive auth) need that git: built once
# into scripts/build-git.sh's cache, reused after.
bench: build
	git=$$(./scripts/build-git.sh 2.47.3) && $(GO) run ./bench -git "$$git"

clean:
	rm -rf bin dist
