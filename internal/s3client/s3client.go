// Package s3client makes the S3 client both Lambda functions use, from the credentials
// and region in the environment, plus an endpoint override so the same binaries can
// talk to an S3-compatible server on loopback (tests, local runs).
//
// It does not use config.LoadDefaultConfig: that links the SDK's STS, SSO, SSO-OIDC
// and sign-in clients (for profiles, role assumption and single sign-on) whose
// package initialisation alone costs about 2.2 M instructions of every cold start,
// and a Lambda function never needs them: the runtime, `sam local` and the Runtime
// Interface Emulator tests all pass the credentials as AWS_ACCESS_KEY_ID,
// AWS_SECRET_ACCESS_KEY and AWS_SESSION_TOKEN. Shared config files (~/.aws) are not
// read.
package s3client

import (
	"context"
	"errors"
	"strconv"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/s3"
)

// EndpointEnv names the variables that point the client at another S3 endpoint, in
// order of preference (AWS_ENDPOINT_URL_S3 and AWS_ENDPOINT_URL as the SDK's shared
// configuration reads them); an override also switches on path-style addressing
// (loopback servers have no virtual-host DNS).
var EndpointEnv = []string{"S3_ENDPOINT_URL", "AWS_ENDPOINT_URL_S3", "AWS_ENDPOINT_URL"}

// ErrNoCredentials is returned when the environment holds no access key.
var ErrNoCredentials = errors.New("no AWS credentials in the environment: AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY " +
	"(with AWS_SESSION_TOKEN) must be set, as Lambda and `sam local` set them; ~/.aws profiles are not read")

// New returns an S3 client for the environment getenv reads.
func New(_ context.Context, getenv func(string) string) (*s3.Client, error) {
	cfg, err := Config(getenv)
	if err != nil {
		return nil, err
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

// Config is the SDK configuration of the environment: static credentials from the
// AWS_* key variables, the region from AWS_REGION (or AWS_DEFAULT_REGION), and the
// retry settings AWS_MAX_ATTEMPTS and AWS_RETRY_MODE the SDK's own loader would
// honour; everything else keeps the S3 client's defaults (standard retryer, its HTTP
// client), as config.LoadDefaultConfig leaves them without shared config files.
func Config(getenv func(string) string) (aws.Config, error) {
	id, secret := getenv("AWS_ACCESS_KEY_ID"), getenv("AWS_SECRET_ACCESS_KEY")
	if id == "" || secret == "" {
		return aws.Config{}, ErrNoCredentials
	}
	cfg := aws.Config{
		Region: getenv("AWS_REGION"),
		Credentials: aws.NewCredentialsCache(credentials.StaticCredentialsProvider{Value: aws.Credentials{
			AccessKeyID: id, SecretAccessKey: secret, SessionToken: getenv("AWS_SESSION_TOKEN"),
			Source: "EnvConfigCredentials", AccountID: getenv("AWS_ACCOUNT_ID"),
		}}),
	}
	if cfg.Region == "" {
		cfg.Region = getenv("AWS_DEFAULT_REGION")
	}
	if v := getenv("AWS_MAX_ATTEMPTS"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 0 {
			return aws.Config{}, errors.New("AWS_MAX_ATTEMPTS=" + strconv.Quote(v) + ": not a count of attempts")
		}
		cfg.RetryMaxAttempts = n
	}
	if v := getenv("AWS_RETRY_MODE"); v != "" {
		mode, err := aws.ParseRetryMode(v)
		if err != nil {
			return aws.Config{}, errors.New("AWS_RETRY_MODE: " + err.Error())
		}
		cfg.RetryMode = mode
	}
	return cfg, nil
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
