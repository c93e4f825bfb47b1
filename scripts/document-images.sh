#!/bin/sh
# Regenerates the README's pictures of the document form (docs/images/) from
# examples/all-fields-document.json: its first page, the sealed signature and the
# last page (the 版记). Needs Go and poppler-utils (pdftoppm).
set -eu
cd "$(dirname "$0")/.."
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
go run ./cmd/gongwen render examples/all-fields-document.json -o "$out" -f pdf >/dev/null
pdf="$out/all-fields-document.pdf"
pages=$(pdfinfo "$pdf" | awk '/^Pages:/ {print $2}')
pdftoppm -r 60 -png -singlefile -f 1 -l 1 "$pdf" docs/images/document-first
pdftoppm -r 60 -png -singlefile -f 4 -l 4 "$pdf" docs/images/document-signature
pdftoppm -r 60 -png -singlefile -f "$pages" -l "$pages" "$pdf" docs/images/document-last
