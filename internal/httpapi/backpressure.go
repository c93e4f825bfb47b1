package httpapi

import (
	"context"
	"errors"
	"net/http"
	"strconv"

	"gongwen/internal/admit"
	"gongwen/internal/problemdoc"
)

// StatusClientClosedRequest is the status logged for a request whose client went
// away, or whose deadline passed, before the answer was ready (nginx's 499): nobody
// receives it, and it is not the service's fault, so it is logged at INFO.
const StatusClientClosedRequest = 499

// busyRetryAfter is the Retry-After, in seconds, of a 503 for a full queue: about
// the time the slots ahead take to finish their worst-case renders.
const busyRetryAfter = 2

// admit takes a render slot for the request, or answers it: 503 when the slots and
// the queue are full, 499 when the client left while waiting.
func (a *API) admit(ctx context.Context, r *Request, st *stats) (release func(), resp *Response) {
	if a.opts.Limiter == nil {
		return func() {}, nil
	}
	release, err := a.opts.Limiter.Acquire(ctx)
	switch {
	case err == nil:
		return release, nil
	case errors.Is(err, admit.ErrBusy):
		st.busy = true
		resp := a.problem(r, problemdoc.New(http.StatusServiceUnavailable, problemdoc.Busy,
			"正在处理的渲染已达上限（"+strconv.Itoa(a.opts.Limiter.Slots())+" 个）且排队已满，请 "+strconv.Itoa(busyRetryAfter)+" 秒后重试。"+
				"All "+strconv.Itoa(a.opts.Limiter.Slots())+" render slots and the queue are taken; retry in "+strconv.Itoa(busyRetryAfter)+" s."))
		resp.Header.Set("Retry-After", strconv.Itoa(busyRetryAfter))
		return nil, resp
	}
	return nil, a.cancelled(r, err)
}

// cancelled answers a request whose context ended (the client disconnected, or the
// Lambda deadline passed), or returns nil when err is something else.
func (a *API) cancelled(r *Request, err error) *Response {
	if !errors.Is(err, context.Canceled) && !errors.Is(err, context.DeadlineExceeded) {
		return nil
	}
	return a.problem(r, problemdoc.New(StatusClientClosedRequest, problemdoc.Cancelled,
		"请求在完成前被取消（客户端断开或超时）。The request ended before the answer was ready (the client went away or the deadline passed)."))
}

// refuse answers a request before it reaches a route (a body declared too large, or
// one that could not be read) with a problem document, logged like every answer.
func (a *API) refuse(ctx context.Context, r *Request, d *problemdoc.Document) *Response {
	resp := a.problem(r, d)
	if r.RequestID != "" {
		resp.Header.Set("X-Request-Id", r.RequestID)
	}
	a.log(ctx, r, cleanPath(r.Path), resp, &stats{}, 0)
	return resp
}
