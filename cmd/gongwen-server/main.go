// Command gongwen-server serves the HTTP API (POST /render, /validate, /import; GET
// /schema) on one machine, through the same handler code as the Lambda function
// (internal/httpapi). It is a program of its own, not a command of gongwen, so that a
// `gongwen render` process does not link net/http, crypto/tls and crypto/x509: their
// package initialisation and pages were a tenth of a one-shot render (issue 15).
// `gongwen serve` runs this program.
package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"os/signal"
	"syscall"
	"time"

	"gongwen/internal/admit"
	"gongwen/internal/httpapi"
	"gongwen/internal/render"
)

const serveUsage = "usage: gongwen-server [-addr :8080] [-max-renders N] [-queue N] [-queue-wait 10s]"

// Exit codes, as gongwen's.
const (
	exitOK      = 0
	exitInvalid = 1 // the fonts cannot be loaded, or the server failed
	exitUsage   = 2
)

// shutdownGrace is how long in-flight requests may take to finish after SIGINT or
// SIGTERM (a render takes milliseconds; a slow client's upload may take longer).
const shutdownGrace = 10 * time.Second

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := serve(ctx, os.Args[1:], os.Stdout, os.Stderr, nil)
	stop()
	os.Exit(code)
}

// serve runs the HTTP API until ctx ends, then shuts down gracefully. ready, when not
// nil, receives the listening address (tests listen on port 0).
func serve(ctx context.Context, args []string, stdout, stderr io.Writer, ready chan<- string) int {
	fs := flag.NewFlagSet("gongwen-server", flag.ContinueOnError)
	fs.SetOutput(stderr)
	addr := fs.String("addr", ":8080", "address to listen on (host:port)")
	ac, aerr := admit.FromEnv(os.Getenv)
	fs.IntVar(&ac.Slots, "max-renders", ac.Slots, "renders at once (env GONGWEN_MAX_RENDERS; default: one per CPU, as many as memory holds at 256 MB each)")
	queue := fs.Int("queue", -1, "requests that may wait for a render slot before 503; 0: none (env GONGWEN_QUEUE; default 4 per slot)")
	fs.DurationVar(&ac.Wait, "queue-wait", ac.Wait, "longest wait for a render slot before 503 (env GONGWEN_QUEUE_WAIT; default 10s)")
	fs.Usage = func() { fmt.Fprintln(stderr, serveUsage); fs.PrintDefaults() }
	for _, a := range args {
		if a == "-h" || a == "-help" || a == "--help" {
			// Asked for: on stdout, exit 0 (a wrong flag prints it on stderr).
			fmt.Fprintln(stdout, serveUsage)
			fmt.Fprintln(stdout, "Serves the HTTP API (POST /render, /validate, /import; GET /schema) on this machine.")
			fs.SetOutput(stdout)
			fs.PrintDefaults()
			return exitOK
		}
	}
	if err := fs.Parse(args); err != nil {
		return exitUsage
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(stderr, "gongwen-server: unexpected argument %q\n%s\n", fs.Arg(0), serveUsage)
		return exitUsage
	}
	if aerr != nil {
		fmt.Fprintf(stderr, "gongwen-server: %v\n", aerr)
		return exitUsage
	}
	switch {
	case *queue == 0:
		ac.Queue = -1 // none
	case *queue > 0:
		ac.Queue = *queue
	}
	if ac.Slots < 0 || ac.Wait < 0 {
		fmt.Fprintf(stderr, "gongwen-server: -max-renders and -queue-wait must not be negative\n%s\n", serveUsage)
		return exitUsage
	}
	limiter := ac.Limiter(os.Getenv)
	memLimit := admit.SetMemoryLimit(limiter.Slots(), os.Getenv)
	logger := slog.New(slog.NewJSONHandler(stderr, nil))
	logger.Info("admission", "max_renders", limiter.Slots(), "queue", limiter.Queue(), "memory_limit_mb", memLimit>>20)
	if err := render.Warm(); err != nil {
		fmt.Fprintf(stderr, "gongwen-server: %v\n", err)
		return exitInvalid
	}
	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		fmt.Fprintf(stderr, "gongwen-server: %v\n", err)
		return exitUsage
	}
	// No response-size limit and no store: the 6 MB limit is Lambda's, not HTTP's.
	api := httpapi.New(httpapi.Options{Logger: logger, Limiter: limiter})
	srv := &http.Server{
		Handler:           api.Handler(),
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       60 * time.Second,
		WriteTimeout:      120 * time.Second,
		IdleTimeout:       120 * time.Second,
		MaxHeaderBytes:    64 << 10,
		ErrorLog:          slog.NewLogLogger(logger.Handler(), slog.LevelWarn),
	}
	fmt.Fprintf(stderr, "gongwen-server: listening on http://%s (POST /render, POST /validate, POST /import, GET /schema)\n", ln.Addr())
	if ready != nil {
		ready <- ln.Addr().String()
	}
	done := make(chan error, 1)
	go func() { done <- srv.Serve(ln) }()
	select {
	case err := <-done:
		fmt.Fprintf(stderr, "gongwen-server: %v\n", err)
		return exitInvalid
	case <-ctx.Done():
	}
	fmt.Fprintln(stderr, "gongwen-server: shutting down")
	sctx, cancel := context.WithTimeout(context.Background(), shutdownGrace)
	defer cancel()
	if err := srv.Shutdown(sctx); err != nil {
		fmt.Fprintf(stderr, "gongwen-server: shutdown: %v\n", err)
		return exitInvalid
	}
	return exitOK
}
