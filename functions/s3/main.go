// Command bootstrap is the S3-upload Lambda function: it renders each report JSON
// uploaded under INPUT_PREFIX into PDF and DOCX under OUTPUT_PREFIX (see
// internal/s3job). Configuration: INPUT_PREFIX (default "incoming/"), OUTPUT_PREFIX
// (default "rendered/"), OUTPUT_BUCKET (default: the input's bucket), and
// S3_ENDPOINT_URL or AWS_ENDPOINT_URL_S3 for an S3-compatible endpoint.
package main

import (
	"context"
	"log/slog"
	"os"

	"github.com/aws/aws-lambda-go/lambda"

	"gongwen/internal/gcpolicy"
	"gongwen/internal/render"
	"gongwen/internal/s3client"
	"gongwen/internal/s3job"
)

func main() {
	logger := slog.New(slog.NewJSONHandler(os.Stdout, nil))
	slog.SetDefault(logger)
	gcpolicy.Lambda(os.Getenv) // GOGC 400 and a soft limit of 3/4 of the function's memory
	// The schema, fonts and template load at start-up, not in the first record, beside
	// the S3 client's set-up and the runtime's first wait for an event: the first
	// record waits only for what is not loaded yet (render.Warm). Operator font
	// warnings show at start-up, and a broken build still ends the process there.
	go func() {
		if err := render.Warm(); err != nil {
			logger.Error("init", "err", err)
			os.Exit(1)
		}
	}()
	job, err := newJob(context.Background(), os.Getenv, logger)
	if err != nil {
		// A configuration that could loop or cannot reach S3 fails the init phase, so
		// the deployment shows the error instead of silently doing nothing.
		logger.Error("init", "err", err)
		os.Exit(1)
	}
	lambda.Start(job.Handle)
}

func newJob(ctx context.Context, getenv func(string) string, logger *slog.Logger) (*s3job.Job, error) {
	cfg, err := s3job.ConfigFromEnv(getenv)
	if err != nil {
		return nil, err
	}
	formats, err := s3job.FormatsFromEnv(getenv)
	if err != nil {
		return nil, err
	}
	client, err := s3client.New(ctx, getenv)
	if err != nil {
		return nil, err
	}
	return s3job.New(client, cfg, logger).WithFormats(formats), nil
}
