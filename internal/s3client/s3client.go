// Package s3client makes the S3 client both Lambda functions use, configured from the
// environment the way the AWS SDK always is, plus an endpoint override so the same
// binaries can talk to an S3-compatible server on loopback (tests, local runs).
package s3client

import (
	"context"
	"fmt"

	"github.com/aws/aws-sdk-go-v2/config"
	"github.com/aws/aws-sdk-go-v2/service/s3"
)

// EndpointEnv names the variables that point the client at another S3 endpoint, in
// order of preference. The SDK reads AWS_ENDPOINT_URL_S3 itself; it is listed so that
// path-style addressing is switched on with it (loopback servers have no virtual-host
// DNS).
var EndpointEnv = []string{"S3_ENDPOINT_URL", "AWS_ENDPOINT_URL_S3", "AWS_ENDPOINT_URL"}

// New returns an S3 client for the environment getenv reads.
func New(ctx context.Context, getenv func(string) string) (*s3.Client, error) {
	cfg, err := config.LoadDefaultConfig(ctx)
	if err != nil {
		return nil, fmt.Errorf("load AWS configuration: %w", err)
	}
	endpoint := Endpoint(getenv)
	return s3.NewFromConfig(cfg, func(o *s3.Options) {
		// The SDK would print a plain-text line to stderr for every object stored
		// without a checksum; the functions' logs are one JSON line per record.
		o.DisableLogOutputChecksumValidationSkipped = true
		if endpoint != "" {
			o.BaseEndpoint = &endpoint
			o.UsePathStyle = true
		}
	}), nil
}

// Endpoint is the overriding endpoint URL, or "" for AWS's own.
func Endpoint(getenv func(string) string) string {
	for _, k := range EndpointEnv {
		if v := getenv(k); v != "" {
			return v
		}
	}
	return ""
}
