package httpapi

import (
	"crypto/rand"
	"encoding/hex"
	"io"
	"net/http"

	"gongwen/internal/problemdoc"
	"gongwen/internal/report"
)

// Handler serves the API with net/http (gongwen serve). It reads at most one byte more
// than report.MaxInputBytes of a body, so an oversized upload costs no more memory
// than the limit.
func (a *API) Handler() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, hr *http.Request) {
		id := newRequestID()
		r := &Request{Method: hr.Method, Path: hr.URL.Path, Query: hr.URL.Query(), Header: hr.Header,
			RequestID: id, Via: "serve"}
		var resp *Response
		if hr.ContentLength > report.MaxInputBytes {
			// Declared too large: answer now, without reading (or waiting for) the body,
			// and close the connection rather than drain it.
			resp = a.refuse(hr.Context(), r, problemdoc.FromInvalid(report.TooLarge(hr.ContentLength)))
			resp.Header.Set("Connection", "close")
		} else if body, err := io.ReadAll(io.LimitReader(hr.Body, report.MaxInputBytes+1)); err != nil {
			// A broken body, or the client went away: a problem document either way.
			a.logger.Info("read request body", "request_id", id, "err", err)
			resp = a.refuse(hr.Context(), r, problemdoc.New(http.StatusBadRequest, problemdoc.BadRequestBody,
				"请求内容读取失败。The request body could not be read: "+err.Error()))
			resp.Header.Set("Connection", "close")
		} else {
			r.Body = body
			resp = a.Serve(hr.Context(), r)
		}
		for k, vs := range resp.Header {
			w.Header()[k] = vs
		}
		w.WriteHeader(resp.Status)
		if hr.Method != http.MethodHead {
			w.Write(resp.Body)
		}
	})
}

// newRequestID is a random id for requests that do not arrive with one (Lambda gives
// its own).
func newRequestID() string {
	var b [16]byte
	rand.Read(b[:])
	return hex.EncodeToString(b[:])
}
