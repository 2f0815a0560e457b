# The README's two commands: `make demo` and `make test`.
GO      ?= go
PKGS    ?= ./...
FUZZTIME ?= 100000x

.PHONY: all build test test-git demo bench fuzz lint unit fuzz-short cross clean

all: build

build:
	CGO_ENABLED=0 $(GO) build -trimpath -o bin/ ./cmd/...

# Every test: static checks, unit and end-to-end tests, a short run of every
# fuzz target, and static builds for every platform.
test: lint unit fuzz-short cross

lint:
	@out=$$(gofmt -l $$(git ls-files '*.go' 2>/dev/null || find . -name '*.go')); \
	  if [ -n "$$out" ]; then echo "gofmt would change:"; echo "$$out"; exit 1; fi
	$(GO) mod tidy -diff
	$(GO) vet $(PKGS)
	$(GO) tool staticcheck $(PKGS)

unit:
	$(GO) test -count=1 $(PKGS)

# Every test once per git: 2.30.2 and 2.47.3 (built by scripts/build-git.sh
# into a cache outside the repository) and the system git.
test-git:
	GO=$(GO) PKGS="$(PKGS)" ./scripts/test-git.sh

fuzz-short:
	FUZZTIME=$(FUZZTIME) ./scripts/fuzz.sh

fuzz:
	FUZZTIME=60s ./scripts/fuzz.sh

cross:
	./scripts/cross.sh

# The manual pages: docs/man/*.md rendered to roff in man/man1 (checked in;
# a unit test fails when they are not current).
man:
	rm -f man/man1/*.1
	$(GO) run ./internal/manual/mangen man/man1

demo: build
	./scripts/demo.sh

bench: build
	$(GO) run ./bench

clean:
	rm -rf bin dist
