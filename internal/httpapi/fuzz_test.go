package httpapi

import (
	"context"
	"encoding/json"
	"testing"
)

// FuzzServe: whatever the body, content type, format and path, the answer is never a
// 5xx, and every error is a well-formed problem document.
func FuzzServe(f *testing.F) {
	f.Add("/render", "application/json", "pdf", []byte(`{"title":"t","issuer":"i","year":2023,"sections":[{"heading":"h","body":["p"]}]}`))
	f.Add("/render", "application/json", "zip", []byte(`{"title":"t\n二","issuer":"i","year":2023,"sections":[{"heading":"h","body":[{"table":{"header":["a"],"rows":[["b"]]}}]}]}`))
	f.Add("/validate", "application/json", "", []byte(`{"title":"\u0000","sections":[{"heading":"（一）x","runIn":true}]}`))
	f.Add("/render", "", "docx", []byte("\xef\xbb\xbf{\"title\":1}"))
	f.Add("/render", "text/json", "", []byte(`[]`))
	f.Add("/validate", "application/json; charset=gbk", "", []byte(`{}`))
	f.Add("/render", "application/json", "docx", []byte(`{"title":"𠀀𪚥","issuer":"i","year":2023,"sections":[{"heading":"h","body":["\uE000"]}]}`))
	api := New(Options{Logger: discard()})
	f.Fuzz(func(t *testing.T, path, ctype, format string, body []byte) {
		r := post(path, ctype, body)
		if format != "" {
			r.Query["format"] = []string{format}
		}
		resp := api.Serve(context.Background(), r)
		if resp.Status >= 500 {
			t.Fatalf("status %d for %q %q %q: %s", resp.Status, path, ctype, body, resp.Body)
		}
		if resp.Status >= 400 {
			var d map[string]any
			if err := json.Unmarshal(resp.Body, &d); err != nil || d["status"] != float64(resp.Status) {
				t.Fatalf("status %d: problem document %s (%v)", resp.Status, resp.Body, err)
			}
		}
	})
}
