// Package httpapi is the HTTP API of the service, shared by the Lambda HTTP function
// and `gongwen serve`: routes, status codes, content negotiation and problem
// documents. The edges translate their events or requests into a Request and the
// Response back; everything that decides an answer is here, and every rendering goes
// through internal/render.
package httpapi

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"log/slog"
	"mime"
	"net/http"
	"runtime/debug"
	"strconv"
	"strings"
	"time"

	"gongwen/internal/admit"
	"gongwen/internal/problemdoc"
	"gongwen/internal/render"
	"gongwen/internal/report"
)

// LambdaMaxResponseBytes is Lambda's limit on a synchronous response payload (6 MB).
// The whole JSON response counts, and a binary body travels base64-encoded in it.
const LambdaMaxResponseBytes = 6 * 1024 * 1024

// responseOverhead is what the response envelope (status, headers, JSON quoting) may
// add to the base64 body; generous so a body near the limit never fails in Lambda.
const responseOverhead = 16 * 1024

// Request is one HTTP request, as an edge received it. Path has the API Gateway stage
// already removed; Body is decoded (not base64).
type Request struct {
	Method    string
	Path      string
	Query     map[string][]string
	Header    http.Header
	Body      []byte
	RequestID string
	// Via names the edge for the log line: "apigw-v2", "apigw-v1", "function-url", "serve".
	Via string
}

// Response is the answer an edge sends back. Binary bodies must be base64-encoded by
// edges whose transport is JSON (Lambda).
type Response struct {
	Status int
	Header http.Header
	Body   []byte
	Binary bool
}

// Options configure an API.
type Options struct {
	// MaxResponseBytes is the largest response the transport can carry, counted as
	// Lambda counts it (base64 body plus envelope); 0 means no limit (gongwen serve).
	MaxResponseBytes int
	// Store keeps outputs over MaxResponseBytes and returns a short-lived link to them;
	// nil means such outputs are refused with 413.
	Store Store
	// Logger receives one line per request; nil means slog.Default().
	Logger *slog.Logger
	// Limiter bounds the renders (and validations) running at once; nil means no
	// bound. Requests it refuses get 503 with Retry-After (see backpressure.go).
	Limiter *admit.Limiter
}

// API answers requests. It is safe for concurrent use.
type API struct {
	opts   Options
	logger *slog.Logger
	// render is the renderer; tests replace it (for example with one that panics).
	render func(ctx context.Context, input []byte, formats []render.Format) (*render.Output, error)
}

// New returns an API.
func New(opts Options) *API {
	l := opts.Logger
	if l == nil {
		l = slog.Default()
	}
	return &API{opts: opts, logger: l, render: render.Render}
}

// route is one resource and the methods it answers.
type route struct {
	methods string // the Allow header
	handle  func(a *API, ctx context.Context, r *Request, st *stats) *Response
}

var routes = map[string]route{
	"/render":   {"POST", (*API).handleRender},
	"/validate": {"POST", (*API).handleValidate},
	"/schema":   {"GET, HEAD", (*API).handleSchema},
}

// stats is what the log line reports about a request beyond its status.
type stats struct {
	pages  int
	format string
	busy   bool // refused for back-pressure: expected under load, logged at WARN
}

// Serve answers one request. It never panics and never returns nil.
func (a *API) Serve(ctx context.Context, r *Request) (resp *Response) {
	start := time.Now()
	st := &stats{}
	path := cleanPath(r.Path)
	defer func() {
		if p := recover(); p != nil {
			a.logger.ErrorContext(ctx, "panic", "request_id", r.RequestID, "panic", fmt.Sprint(p),
				"stack", string(debug.Stack()))
			resp = a.problem(r, problemdoc.New(http.StatusInternalServerError, problemdoc.InternalError,
				"请求 "+r.RequestID+" 处理失败。Request "+r.RequestID+" failed."))
		}
		if resp.Header == nil {
			resp.Header = http.Header{}
		}
		if r.RequestID != "" {
			resp.Header.Set("X-Request-Id", r.RequestID)
		}
		a.log(ctx, r, path, resp, st, time.Since(start))
	}()
	rt, ok := routes[path]
	if !ok {
		return a.problem(r, problemdoc.New(http.StatusNotFound, problemdoc.NotFound,
			"可用地址：POST /render、POST /validate、POST /import、GET /schema。Routes: POST /render, POST /validate, POST /import, GET /schema."))
	}
	if !allowed(rt.methods, r.Method) {
		resp := a.problem(r, problemdoc.New(http.StatusMethodNotAllowed, problemdoc.MethodNotAllowed,
			path+" 只接受 "+rt.methods+"。"+path+" accepts "+rt.methods+" only."))
		resp.Header.Set("Allow", rt.methods)
		return resp
	}
	return rt.handle(a, ctx, r, st)
}

func (a *API) log(ctx context.Context, r *Request, route string, resp *Response, st *stats, d time.Duration) {
	level := slog.LevelInfo
	if resp.Status >= 500 {
		level = slog.LevelError
	}
	if st.busy {
		level = slog.LevelWarn
	}
	attrs := []slog.Attr{
		slog.String("request_id", r.RequestID),
		slog.String("source", "http"),
		slog.String("via", r.Via),
		slog.String("method", r.Method),
		slog.String("route", route),
		slog.Int("status", resp.Status),
		slog.Int("pages", st.pages),
		slog.Int("in_bytes", len(r.Body)),
		slog.Int("bytes", len(resp.Body)),
		slog.Float64("ms", float64(d.Microseconds())/1000),
	}
	if st.format != "" {
		attrs = append(attrs, slog.String("format", st.format))
	}
	if resp.Status == StatusClientClosedRequest {
		attrs = append(attrs, slog.Bool("cancelled", true))
	}
	a.logger.LogAttrs(ctx, level, "request", attrs...)
}

// cleanPath drops one trailing slash ("/render/" is "/render").
func cleanPath(p string) string {
	if p == "" {
		return "/"
	}
	if len(p) > 1 {
		p = strings.TrimSuffix(p, "/")
	}
	return p
}

func allowed(methods, m string) bool {
	for _, x := range strings.Split(methods, ", ") {
		if x == m {
			return true
		}
	}
	return false
}

// readInput checks what every route that takes a report requires of the body: its
// media type and its size. A nil response means the body can be parsed.
func (a *API) readInput(r *Request) *Response {
	if ct := r.Header.Get("Content-Type"); ct != "" {
		mt, params, err := mime.ParseMediaType(ct)
		cs := strings.ToLower(params["charset"])
		if err != nil || !(mt == "application/json" || strings.HasSuffix(mt, "+json")) ||
			(cs != "" && cs != "utf-8") {
			return a.problem(r, problemdoc.New(http.StatusUnsupportedMediaType, problemdoc.UnsupportedMedia,
				"Content-Type 应为 application/json（UTF-8），收到 "+strconv.Quote(ct)+"。Content-Type must be application/json (UTF-8), got "+strconv.Quote(ct)+"."))
		}
	}
	if len(r.Body) > report.MaxInputBytes {
		return a.problem(r, problemdoc.FromInvalid(bodyTooLarge(r)))
	}
	return nil
}

func (a *API) handleValidate(ctx context.Context, r *Request, st *stats) *Response {
	if resp := a.readInput(r); resp != nil {
		return resp
	}
	release, refused := a.admit(ctx, r, st)
	if refused != nil {
		return refused
	}
	defer release()
	_, warnings, err := render.ValidateContext(ctx, r.Body)
	if err != nil {
		return a.renderError(r, err)
	}
	if warnings == nil {
		warnings = []report.Problem{}
	}
	return jsonResponse(http.StatusOK, "application/json", struct {
		Valid    bool             `json:"valid"`
		Warnings []report.Problem `json:"warnings"`
	}{true, warnings})
}

func (a *API) handleSchema(ctx context.Context, r *Request, st *stats) *Response {
	resp := &Response{Status: http.StatusOK, Header: http.Header{}, Body: report.Schema()}
	resp.Header.Set("Content-Type", "application/schema+json")
	resp.Header.Set("Cache-Control", "public, max-age=3600")
	if r.Method == http.MethodHead {
		resp.Header.Set("Content-Length", strconv.Itoa(len(resp.Body)))
		resp.Body = nil
	}
	return resp
}

func (a *API) handleRender(ctx context.Context, r *Request, st *stats) *Response {
	want, err := negotiate(r)
	if err != nil {
		d := problemdoc.New(http.StatusBadRequest, problemdoc.UnknownFormat, err.Error())
		d.Problems = []report.Problem{{Path: "", Code: "unknown_format", Message: err.Error()}}
		return a.problem(r, d)
	}
	st.format = string(want)
	if resp := a.readInput(r); resp != nil {
		return resp
	}
	release, refused := a.admit(ctx, r, st)
	if refused != nil {
		return refused
	}
	defer release()
	out, err := a.render(ctx, r.Body, want.formats())
	if err != nil {
		return a.renderError(r, err)
	}
	st.pages = out.Pages
	name := FileStem(out.Report.Title)
	body, err := want.body(out, name)
	if err != nil {
		a.logger.ErrorContext(ctx, "package output", "request_id", r.RequestID, "err", err)
		return a.problem(r, problemdoc.New(http.StatusInternalServerError, problemdoc.InternalError,
			"请求 "+r.RequestID+" 处理失败。Request "+r.RequestID+" failed."))
	}
	disposition := ContentDisposition(name, want.ext())
	if a.opts.MaxResponseBytes > 0 && base64.StdEncoding.EncodedLen(len(body))+responseOverhead > a.opts.MaxResponseBytes {
		return a.tooLargeForResponse(ctx, r, body, want, name, disposition)
	}
	resp := &Response{Status: http.StatusOK, Header: http.Header{}, Body: body, Binary: true}
	resp.Header.Set("Content-Type", want.contentType())
	resp.Header.Set("Content-Disposition", disposition)
	resp.Header.Set("Cache-Control", "no-store")
	resp.Header.Set("Vary", "Accept")
	if out.Pages > 0 {
		resp.Header.Set("X-Gongwen-Pages", strconv.Itoa(out.Pages))
	}
	resp.Header.Set("X-Gongwen-Warnings", strconv.Itoa(len(out.Warnings)))
	return resp
}

// tooLargeForResponse stores an output the transport cannot carry and answers with a
// link to it, or refuses it when there is nowhere to store it.
func (a *API) tooLargeForResponse(ctx context.Context, r *Request, body []byte, want choice, name, disposition string) *Response {
	if a.opts.Store == nil {
		return a.problem(r, problemdoc.New(http.StatusRequestEntityTooLarge, problemdoc.OutputTooLarge,
			fmt.Sprintf("生成的文件有 %d 字节，超过同步响应上限 %d 字节（含 base64 编码），且未配置输出存储桶（OUTPUT_BUCKET）。请改用 S3 上传方式。"+
				"The output is %d bytes, over the %d-byte synchronous response limit (base64 included), and no output bucket (OUTPUT_BUCKET) is configured; use the S3 upload instead.",
				len(body), a.opts.MaxResponseBytes, len(body), a.opts.MaxResponseBytes)))
	}
	link, err := a.opts.Store.Put(ctx, r.RequestID+"/"+asciiFallback(name)+"."+want.ext(), want.contentType(), disposition, body)
	if err != nil {
		a.logger.ErrorContext(ctx, "store large output", "request_id", r.RequestID, "err", err)
		resp := a.problem(r, problemdoc.New(http.StatusServiceUnavailable, problemdoc.StorageFailed, ""))
		resp.Header.Set("Retry-After", "5")
		return resp
	}
	resp := jsonResponse(http.StatusSeeOther, "application/json", struct {
		URL       string    `json:"url"`
		ExpiresAt time.Time `json:"expiresAt"`
		Bytes     int       `json:"bytes"`
		Filename  string    `json:"filename"`
	}{link.URL, link.Expires.UTC(), len(body), name + "." + want.ext()})
	resp.Header.Set("Location", link.URL)
	resp.Header.Set("Cache-Control", "no-store")
	return resp
}

// renderError answers a failed validation or render: an invalid input with its
// problems, anything else as the service's fault.
func (a *API) renderError(r *Request, err error) *Response {
	if inv, ok := problemdoc.AsInvalid(err); ok {
		return a.problem(r, problemdoc.FromInvalid(inv))
	}
	if resp := a.cancelled(r, err); resp != nil {
		return resp
	}
	a.logger.Error("render failed", "request_id", r.RequestID, "err", err)
	return a.problem(r, problemdoc.New(http.StatusInternalServerError, problemdoc.InternalError,
		"请求 "+r.RequestID+" 处理失败。Request "+r.RequestID+" failed."))
}

func (a *API) problem(r *Request, d *problemdoc.Document) *Response {
	d.Instance = cleanPath(r.Path)
	d.RequestID = r.RequestID
	resp := &Response{Status: d.Status, Header: http.Header{}, Body: d.JSON()}
	resp.Header.Set("Content-Type", problemdoc.ContentType)
	resp.Header.Set("Cache-Control", "no-store")
	return resp
}

func jsonResponse(status int, contentType string, v any) *Response {
	b, err := json.Marshal(v)
	if err != nil {
		// The values above are plain structs; keep the answer well-formed regardless.
		b = []byte(`{}`)
	}
	resp := &Response{Status: status, Header: http.Header{}, Body: append(b, '\n')}
	resp.Header.Set("Content-Type", contentType)
	return resp
}
