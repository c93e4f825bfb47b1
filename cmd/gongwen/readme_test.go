package main

import (
	"bytes"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

var mdLink = regexp.MustCompile(`\]\(([^)#\s]+)(?:#[^)]*)?\)`)

// TestDocsLinksResolve: every relative link in README.md and docs/*.md names a file of
// the repository (a user's clone has nothing beside it, ../shared included).
func TestDocsLinksResolve(t *testing.T) {
	root := filepath.Join("..", "..")
	files, _ := filepath.Glob(filepath.Join(root, "docs", "*.md"))
	files = append(files, filepath.Join(root, "README.md"))
	abs, _ := filepath.Abs(root)
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		links := mdLink.FindAllStringSubmatch(string(b), -1)
		if filepath.Base(f) == "README.md" && len(links) < 4 {
			t.Errorf("README has only %d links", len(links))
		}
		for _, m := range links {
			target := m[1]
			if strings.Contains(target, "://") {
				continue
			}
			p := filepath.Join(filepath.Dir(f), target)
			ap, _ := filepath.Abs(p)
			if !strings.HasPrefix(ap, abs+string(filepath.Separator)) {
				t.Errorf("%s: link %s leaves the repository", f, target)
				continue
			}
			if _, err := os.Stat(p); err != nil {
				t.Errorf("%s: link %s does not resolve: %v", f, target, err)
			}
		}
	}
}

// TestNewcomerPath: the README opens with the picture, keeps its first two commands,
// and the licence and picture are what they claim.
func TestNewcomerPath(t *testing.T) {
	root := filepath.Join("..", "..")
	readme, err := os.ReadFile(filepath.Join(root, "README.md"))
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(string(readme), "\n")
	if !strings.HasPrefix(lines[2], "![") || !strings.Contains(lines[2], "(docs/images/wuchuan-page1.png)") {
		t.Errorf("README's first content line is %q, want the picture", lines[2])
	}
	first := regexp.MustCompile("(?s)```sh\n(.*?)```").FindStringSubmatch(string(readme))
	want := "go run ./cmd/gongwen render examples/wuchuan-2023.json -o out   # → out/wuchuan-2023.pdf and out/wuchuan-2023.docx\n" +
		"bash .ci/run                                                     # every test (installs the checking tools with apt-get first)\n"
	if first == nil || first[1] != want {
		t.Errorf("README's first commands changed:\n%v", first)
	}
	lic, err := os.ReadFile(filepath.Join(root, "LICENSE"))
	if err != nil || !bytes.Contains(lic, []byte("Apache License")) || !bytes.Contains(lic, []byte("Version 2.0, January 2004")) {
		t.Errorf("LICENSE is not the Apache License 2.0: %v", err)
	}
	png, err := os.ReadFile(filepath.Join(root, "docs", "images", "wuchuan-page1.png"))
	if err != nil || !bytes.HasPrefix(png, []byte("\x89PNG\r\n\x1a\n")) || len(png) > 150_000 {
		t.Errorf("picture: %v, %d bytes (want a PNG under 150 KB)", err, len(png))
	}
}
