package httpapi

import (
	"crypto/rand"
	"encoding/hex"
	"io"
	"net/http"

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
		body, err := io.ReadAll(io.LimitReader(hr.Body, report.MaxInputBytes+1))
		if err != nil {
			// The client went away or sent a broken body: there is no one to answer.
			a.logger.Warn("read request body", "request_id", id, "err", err)
			http.Error(w, "bad request body", http.StatusBadRequest)
			return
		}
		r.Body = body
		resp := a.Serve(hr.Context(), r)
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
