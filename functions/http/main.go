// Command bootstrap is the HTTP Lambda function (API Gateway HTTP API, REST API and
// function URLs). It only translates events into internal/httpapi requests and the
// answers back into the response shape of the event that came in.
package main

import (
	"context"
	"log/slog"
	"os"

	"github.com/aws/aws-lambda-go/lambda"
	"github.com/aws/aws-sdk-go-v2/service/s3"

	"gongwen/internal/gcpolicy"
	"gongwen/internal/httpapi"
	"gongwen/internal/render"
	"gongwen/internal/s3client"
	"gongwen/internal/s3store"
)

// largePrefix is where outputs too large for a synchronous response are kept; the
// template's lifecycle rule deletes them after a day.
const largePrefix = "http-large/"

func main() {
	logger := slog.New(slog.NewJSONHandler(os.Stdout, nil))
	slog.SetDefault(logger)
	gcpolicy.Lambda(os.Getenv) // GOGC 400 and a soft limit of 3/4 of the function's memory
	// The schema, fonts and template load at start-up, not in the first request, but
	// beside the runtime's first wait for an event rather than before it: the first
	// request waits only for what is not loaded yet (render.Warm). Operator font
	// warnings show at start-up, and a broken build still ends the process there.
	go warm(logger)
	lambda.Start(newHandler(os.Getenv, logger).invoke)
}

func warm(logger *slog.Logger) {
	if err := render.Warm(); err != nil {
		logger.Error("init", "err", err)
		os.Exit(1)
	}
}

// newHandler returns the handler for the environment getenv reads.
func newHandler(getenv func(string) string, logger *slog.Logger) *handler {
	return &handler{api: httpapi.New(options(getenv, logger))}
}

// options configure the API from the environment: OUTPUT_BUCKET enables storing
// outputs over Lambda's 6 MB response limit and answering with a link.
func options(getenv func(string) string, logger *slog.Logger) httpapi.Options {
	opts := httpapi.Options{MaxResponseBytes: httpapi.LambdaMaxResponseBytes, Logger: logger}
	if bucket := getenv("OUTPUT_BUCKET"); bucket != "" {
		opts.Store = &s3store.Store{
			Bucket: bucket,
			Prefix: largePrefix,
			Client: func(ctx context.Context) (*s3.Client, error) { return s3client.New(ctx, getenv) },
		}
	}
	return opts
}
