# Sourced by scripts/bench.sh and scripts/typst/bench.sh: builds, into directory $1 from
# the repository $2, the binaries both measure, the same way:
#   $1/gongwen   static (CGO_ENABLED=0), as a Lambda deployment (sam build) makes it,
#                with the GPL faces beside it as in a release ($1/fonts/gpl: without
#                them those roles would print in the fallback face and the figures would
#                measure another document);
#   $1/hellobin  a Go hello-world, the floor the whole-process times are paired with.
build_bench_binaries() {
  local dir=$1 repo=$2
  (cd "$repo" && CGO_ENABLED=0 go build -trimpath -o "$dir/gongwen" ./cmd/gongwen)
  mkdir -p "$dir/fonts" && ln -s "$repo/fonts/gpl" "$dir/fonts/gpl"
  mkdir -p "$dir/hello"
  cat >"$dir/hello/main.go" <<'GO'
package main

import "os"

func main() { os.Stdout.WriteString("hello\n") }
GO
  (cd "$dir/hello" && printf 'module hello\n\ngo 1.21\n' >go.mod && CGO_ENABLED=0 go build -trimpath -o "$dir/hellobin" .)
}
