package main

import (
	"archive/zip"
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"io"
	"log/slog"
	"mime"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-lambda-go/lambda"
	"github.com/aws/aws-lambda-go/lambdacontext"

	"gongwen/internal/httpapi"
	"gongwen/internal/problemdoc"
	"gongwen/internal/render"
	"gongwen/internal/s3store"
)

func event(t *testing.T, name string) map[string]any {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("..", "..", "events", name))
	if err != nil {
		t.Fatal(err)
	}
	var m map[string]any
	if err := json.Unmarshal(b, &m); err != nil {
		t.Fatal(err)
	}
	return m
}

// reply is a Lambda HTTP response as API Gateway reads it (both payload versions).
type reply struct {
	StatusCode      int               `json:"statusCode"`
	Headers         map[string]string `json:"headers"`
	Body            string            `json:"body"`
	IsBase64Encoded bool              `json:"isBase64Encoded"`
}

func invoke(t *testing.T, ev map[string]any) (reply, map[string]any) {
	t.Helper()
	raw, _ := json.Marshal(ev)
	h := newHandler(func(string) string { return "" }, slog.New(slog.DiscardHandler))
	ctx := lambdacontext.NewContext(context.Background(), &lambdacontext.LambdaContext{AwsRequestID: "lambda-req-7"})
	// Through lambda-go's own handler, which makes the bytes the runtime sends.
	b, err := lambda.NewHandler(h.invoke).Invoke(ctx, raw)
	if err != nil {
		t.Fatalf("invoke: %v", err)
	}
	var r reply
	var shape map[string]any
	json.Unmarshal(b, &r)
	json.Unmarshal(b, &shape)
	return r, shape
}

func (r reply) body(t *testing.T) []byte {
	t.Helper()
	if !r.IsBase64Encoded {
		return []byte(r.Body)
	}
	b, err := base64.StdEncoding.DecodeString(r.Body)
	if err != nil {
		t.Fatalf("body is not base64: %v", err)
	}
	return b
}

// wuchuan renders the report the sample events carry (the Wuchuan example as it was
// when the events were made), the reference for what the handler returns.
func wuchuan(t *testing.T) *render.Output {
	body, _ := event(t, "http-render.json")["body"].(string)
	out, err := render.Render(context.Background(), []byte(body), []render.Format{render.PDF, render.DOCX})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// TestEvents invokes the handler with every sample event and checks the answer, in the
// response shape of the event's payload version.
func TestEvents(t *testing.T) {
	ref := wuchuan(t)
	stem := strings.NewReplacer("\n", "").Replace(ref.Report.Title)
	tests := []struct {
		file   string
		edit   func(map[string]any)
		status int
		ctype  string
		ext    string // attachment extension; "" for none
		v1     bool
	}{
		{"http-render.json", nil, 200, "application/pdf", "pdf", false},
		{"http-render-docx-stage.json", nil, 200, render.DOCX.ContentType(), "docx", false},
		{"function-url-render.json", nil, 200, "application/zip", "zip", false},
		{"rest-render.json", nil, 200, "application/pdf", "pdf", true},
		{"rest-render.json", func(m map[string]any) {
			m["multiValueQueryStringParameters"] = map[string]any{"format": []string{"docx"}}
			m["queryStringParameters"] = map[string]any{"format": "docx"}
		}, 200, render.DOCX.ContentType(), "docx", true},
		{"http-validate.json", nil, 200, "application/json", "", false},
		{"http-validate-invalid.json", nil, 422, problemdoc.ContentType, "", false},
		{"http-schema.json", nil, 200, "application/schema+json", "", false},
		{"http-not-json.json", nil, 415, problemdoc.ContentType, "", false},
		{"http-render.json", func(m map[string]any) { m["body"] = `{"title":` }, 400, problemdoc.ContentType, "", false},
		{"http-render.json", func(m map[string]any) {
			m["body"] = strings.Repeat(" ", 3<<20)
		}, 413, problemdoc.ContentType, "", false},
		{"http-render.json", func(m map[string]any) {
			m["rawPath"] = "/prod/nowhere"
			m["requestContext"].(map[string]any)["stage"] = "prod"
		}, 404, problemdoc.ContentType, "", false},
		{"http-render.json", func(m map[string]any) {
			m["requestContext"].(map[string]any)["http"].(map[string]any)["method"] = "GET"
		}, 405, problemdoc.ContentType, "", false},
		{"rest-render.json", func(m map[string]any) { m["httpMethod"] = "DELETE" }, 405, problemdoc.ContentType, "", true},
		{"rest-render.json", func(m map[string]any) {
			m["body"] = "%%%not base64"
			m["isBase64Encoded"] = true
		}, 400, problemdoc.ContentType, "", true},
	}
	for _, tc := range tests {
		t.Run(tc.file, func(t *testing.T) {
			ev := event(t, tc.file)
			if tc.edit != nil {
				tc.edit(ev)
			}
			r, shape := invoke(t, ev)
			if r.StatusCode != tc.status {
				t.Fatalf("status %d, want %d: %.300s", r.StatusCode, tc.status, r.Body)
			}
			if _, hasCookies := shape["cookies"]; hasCookies == tc.v1 {
				t.Errorf("response shape does not match payload version (v1 %v): %v", tc.v1, keys(shape))
			}
			if got := r.Headers["Content-Type"]; got != tc.ctype {
				t.Errorf("Content-Type %q, want %q", got, tc.ctype)
			}
			if r.Headers["X-Request-Id"] != "lambda-req-7" {
				t.Errorf("X-Request-Id %q", r.Headers["X-Request-Id"])
			}
			body := r.body(t)
			if tc.ext == "" {
				if r.IsBase64Encoded {
					t.Error("text answer base64-encoded")
				}
				if tc.ctype == problemdoc.ContentType {
					var d problemdoc.Document
					if err := json.Unmarshal(body, &d); err != nil || d.Status != tc.status || d.RequestID != "lambda-req-7" {
						t.Errorf("problem %s (%v)", body, err)
					}
				}
				return
			}
			if !r.IsBase64Encoded {
				t.Fatal("binary answer not base64-encoded")
			}
			_, params, err := mime.ParseMediaType(r.Headers["Content-Disposition"])
			if err != nil || params["filename"] != stem+"."+tc.ext {
				t.Errorf("Content-Disposition %q → %q (%v)", r.Headers["Content-Disposition"], params["filename"], err)
			}
			switch tc.ext {
			case "pdf":
				if !bytes.Equal(body, ref.PDF) {
					t.Error("PDF differs from render.Render's")
				}
			case "docx":
				if !bytes.Equal(body, ref.DOCX) {
					t.Error("DOCX differs from render.Render's")
				}
			case "zip":
				zr, err := zip.NewReader(bytes.NewReader(body), int64(len(body)))
				if err != nil || len(zr.File) != len(render.Formats()) {
					t.Fatalf("zip: %d entries, %v", len(zr.File), err)
				}
				rc, _ := zr.File[0].Open()
				pdf, _ := io.ReadAll(rc)
				if !bytes.Equal(pdf, ref.PDF) {
					t.Error("zipped PDF differs")
				}
			}
		})
	}
}

func keys(m map[string]any) []string {
	var ks []string
	for k := range m {
		ks = append(ks, k)
	}
	return ks
}

func TestUnsupportedEvent(t *testing.T) {
	h := newHandler(func(string) string { return "" }, slog.New(slog.DiscardHandler))
	for _, raw := range []string{`{"Records":[]}`, `{"title":"x"}`, `[1]`, `"x"`} {
		if _, err := h.invoke(context.Background(), json.RawMessage(raw)); err == nil {
			t.Errorf("%s: want an error", raw)
		}
	}
}

func TestStripStage(t *testing.T) {
	tests := []struct{ path, stage, want string }{
		{"/render", "$default", "/render"},
		{"/prod/render", "prod", "/render"},
		{"/prod", "prod", "/"},
		{"/production/render", "prod", "/production/render"},
		{"/render", "prod", "/render"}, // REST API paths come without the stage
		{"/render", "", "/render"},
	}
	for _, tc := range tests {
		if got := stripStage(tc.path, tc.stage); got != tc.want {
			t.Errorf("stripStage(%q, %q) = %q, want %q", tc.path, tc.stage, got, tc.want)
		}
	}
}

// TestOptions: the Lambda limit always applies; OUTPUT_BUCKET turns on the store
// (which internal/s3store's TestLargeOutput exercises against a fake S3).
func TestOptions(t *testing.T) {
	none := options(func(string) string { return "" }, nil)
	if none.MaxResponseBytes != httpapi.LambdaMaxResponseBytes || none.Store != nil {
		t.Errorf("without OUTPUT_BUCKET: %+v", none)
	}
	env := map[string]string{"OUTPUT_BUCKET": "gongwen-out"}
	with := options(func(k string) string { return env[k] }, nil)
	st, ok := with.Store.(*s3store.Store)
	if !ok || st.Bucket != "gongwen-out" || st.Prefix != largePrefix || with.MaxResponseBytes != httpapi.LambdaMaxResponseBytes {
		t.Errorf("with OUTPUT_BUCKET: %+v %+v", with, st)
	}
}

// TestEventsCarryTheExample: the sample events that render or validate a report carry
// examples/wuchuan-2023.json as it is now (base64 or not), so `sam local invoke` with
// them shows what the README says; an edited example must be copied into them.
func TestEventsCarryTheExample(t *testing.T) {
	want, err := os.ReadFile(filepath.Join("..", "..", "examples", "wuchuan-2023.json"))
	if err != nil {
		t.Fatal(err)
	}
	var wantV any
	if err := json.Unmarshal(want, &wantV); err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{"http-render.json", "http-validate.json", "http-render-docx-stage.json", "function-url-render.json", "rest-render.json"} {
		ev := event(t, name)
		body, _ := ev["body"].(string)
		b := []byte(body)
		if ev["isBase64Encoded"] == true {
			if b, err = base64.StdEncoding.DecodeString(body); err != nil {
				t.Fatalf("%s: %v", name, err)
			}
		}
		var got any
		if err := json.Unmarshal(b, &got); err != nil {
			t.Errorf("%s: body is not JSON: %v", name, err)
			continue
		}
		if !reflect.DeepEqual(got, wantV) {
			t.Errorf("%s: body is not examples/wuchuan-2023.json", name)
		}
	}
}

// An invocation near its deadline stops rendering in time to answer 499 (logged at
// INFO as cancelled) instead of being cut off.
func TestDeadlineAnswered(t *testing.T) {
	var rows []string
	for range 2000 {
		rows = append(rows, `[`+strings.TrimSuffix(strings.Repeat(`"法",`, 20), ",")+`]`)
	}
	body := `{"title":"表","issuer":"某局","year":2024,"sections":[{"heading":"情况","body":[{"table":{"header":[` +
		strings.TrimSuffix(strings.Repeat(`"列",`, 20), ",") + `],"rows":[` + strings.Join(rows, ",") + `]}}]}]}`
	raw, _ := json.Marshal(map[string]any{"version": "2.0", "routeKey": "$default", "rawPath": "/render",
		"headers": map[string]string{"content-type": "application/json"}, "body": body,
		"requestContext": map[string]any{"http": map[string]any{"method": "POST", "path": "/render"}}})
	h := newHandler(func(string) string { return "" }, slog.New(slog.DiscardHandler))
	deadline := time.Now().Add(deadlineMargin + 30*time.Millisecond)
	ctx, cancel := context.WithDeadline(context.Background(), deadline)
	defer cancel()
	b, err := lambda.NewHandler(h.invoke).Invoke(ctx, raw)
	if err != nil {
		t.Fatal(err)
	}
	var r reply
	json.Unmarshal(b, &r)
	if r.StatusCode != 499 {
		t.Fatalf("status %d, want 499", r.StatusCode)
	}
}

// TestSplicedResponse: a binary answer (base64 written straight into the encoded
// response) is, byte for byte, what lambda-go makes of the response struct, for every
// payload shape and each binary format.
func TestSplicedResponse(t *testing.T) {
	for _, name := range []string{"http-render.json", "rest-render.json", "function-url-render.json", "http-render-docx-stage.json"} {
		raw, err := os.ReadFile(filepath.Join("..", "..", "events", name))
		if err != nil {
			t.Fatal(err)
		}
		ctx := lambdacontext.NewContext(context.Background(), &lambdacontext.LambdaContext{AwsRequestID: "lambda-req-7"})
		h := newHandler(func(string) string { return "" }, slog.New(slog.DiscardHandler))
		out, err := h.invoke(ctx, raw)
		if err != nil {
			t.Fatal(err)
		}
		if _, ok := out.(*bytes.Buffer); !ok {
			t.Fatalf("%s: answer %T, want the spliced encoding", name, out)
		}
		got, err := lambda.NewHandler(h.invoke).Invoke(ctx, raw)
		if err != nil {
			t.Fatal(err)
		}
		h.plain = true
		want, err := lambda.NewHandler(h.invoke).Invoke(ctx, raw)
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(got, want) {
			t.Errorf("%s: spliced response (%d bytes) differs from lambda-go's encoding (%d bytes)", name, len(got), len(want))
		}
		var r reply
		if err := json.Unmarshal(got, &r); err != nil || !r.IsBase64Encoded || len(r.body(t)) < 1000 {
			t.Errorf("%s: %v, base64 %v, %d bytes", name, err, r.IsBase64Encoded, len(r.Body))
		}
	}
}
