package s3client

import (
	"context"
	"errors"
	"os"
	"os/exec"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
)

func TestEndpoint(t *testing.T) {
	tests := []struct {
		env  map[string]string
		want string
	}{
		{map[string]string{}, ""},
		{map[string]string{"AWS_ENDPOINT_URL_S3": "http://127.0.0.1:9000"}, "http://127.0.0.1:9000"},
		{map[string]string{"S3_ENDPOINT_URL": "http://a", "AWS_ENDPOINT_URL_S3": "http://b"}, "http://a"},
		{map[string]string{"AWS_ENDPOINT_URL": "http://c"}, "http://c"},
	}
	for _, tc := range tests {
		if got := Endpoint(func(k string) string { return tc.env[k] }); got != tc.want {
			t.Errorf("%v: %q, want %q", tc.env, got, tc.want)
		}
	}
}

func lookup(env map[string]string) func(string) string {
	return func(k string) string { return env[k] }
}

// TestNewWithEndpoint: an override sets the endpoint and path-style addressing, and
// the client keeps the checksum log line off.
func TestNewWithEndpoint(t *testing.T) {
	env := map[string]string{"AWS_REGION": "us-east-1", "AWS_ACCESS_KEY_ID": "x", "AWS_SECRET_ACCESS_KEY": "y",
		"S3_ENDPOINT_URL": "http://127.0.0.1:9000"}
	c, err := New(context.Background(), lookup(env))
	if err != nil {
		t.Fatal(err)
	}
	o := c.Options()
	if aws.ToString(o.BaseEndpoint) != "http://127.0.0.1:9000" || !o.UsePathStyle || !o.DisableLogOutputChecksumValidationSkipped || o.Region != "us-east-1" {
		t.Errorf("options: endpoint %q path-style %v region %q", aws.ToString(o.BaseEndpoint), o.UsePathStyle, o.Region)
	}
	delete(env, "S3_ENDPOINT_URL")
	plain, err := New(context.Background(), lookup(env))
	if err != nil {
		t.Fatal(err)
	}
	if plain.Options().BaseEndpoint != nil || plain.Options().UsePathStyle {
		t.Error("no endpoint override expected")
	}
}

// TestConfig: the credentials, region and retry settings come from the environment
// getenv reads, not from the process's or ~/.aws.
func TestConfig(t *testing.T) {
	t.Setenv("AWS_ACCESS_KEY_ID", "process-key") // must not be used: getenv is the source
	t.Setenv("AWS_SECRET_ACCESS_KEY", "process-secret")
	cfg, err := Config(lookup(map[string]string{"AWS_ACCESS_KEY_ID": "AKIDLAMBDA", "AWS_SECRET_ACCESS_KEY": "s3cr3t",
		"AWS_SESSION_TOKEN": "tok", "AWS_REGION": "cn-north-1", "AWS_DEFAULT_REGION": "us-west-2",
		"AWS_MAX_ATTEMPTS": "5", "AWS_RETRY_MODE": "adaptive"}))
	if err != nil {
		t.Fatal(err)
	}
	creds, err := cfg.Credentials.Retrieve(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if creds.AccessKeyID != "AKIDLAMBDA" || creds.SecretAccessKey != "s3cr3t" || creds.SessionToken != "tok" || creds.CanExpire {
		t.Errorf("credentials %+v", creds)
	}
	if cfg.Region != "cn-north-1" || cfg.RetryMaxAttempts != 5 || cfg.RetryMode != aws.RetryModeAdaptive {
		t.Errorf("region %q, attempts %d, mode %q", cfg.Region, cfg.RetryMaxAttempts, cfg.RetryMode)
	}
	// Without settings the S3 client's defaults apply: the standard retryer, 3 attempts.
	cfg, err = Config(lookup(map[string]string{"AWS_ACCESS_KEY_ID": "a", "AWS_SECRET_ACCESS_KEY": "b", "AWS_DEFAULT_REGION": "us-west-2"}))
	if err != nil {
		t.Fatal(err)
	}
	if cfg.Region != "us-west-2" || cfg.RetryMaxAttempts != 0 || cfg.RetryMode != "" {
		t.Errorf("defaults: region %q, attempts %d, mode %q", cfg.Region, cfg.RetryMaxAttempts, cfg.RetryMode)
	}
	c, err := New(context.Background(), lookup(map[string]string{"AWS_ACCESS_KEY_ID": "a", "AWS_SECRET_ACCESS_KEY": "b"}))
	if err != nil {
		t.Fatal(err)
	}
	if n := c.Options().Retryer.MaxAttempts(); n != 3 {
		t.Errorf("default retryer: %d attempts, want the SDK's standard 3", n)
	}

	for _, env := range []map[string]string{
		{},
		{"AWS_ACCESS_KEY_ID": "a"},
		{"AWS_SECRET_ACCESS_KEY": "b", "AWS_SESSION_TOKEN": "c"},
	} {
		if _, err := New(context.Background(), lookup(env)); !errors.Is(err, ErrNoCredentials) || !strings.Contains(err.Error(), "AWS_ACCESS_KEY_ID") {
			t.Errorf("%v: error %v, want ErrNoCredentials", env, err)
		}
	}
	for _, bad := range []map[string]string{{"AWS_MAX_ATTEMPTS": "many"}, {"AWS_RETRY_MODE": "eager"}} {
		bad["AWS_ACCESS_KEY_ID"], bad["AWS_SECRET_ACCESS_KEY"] = "a", "b"
		if _, err := Config(lookup(bad)); err == nil {
			t.Errorf("%v: no error", bad)
		}
	}
}

// TestDependencies: neither Lambda binary links the SDK's credential chain (STS, SSO,
// SSO-OIDC, sign-in: their package init is most of the SDK's start-up cost), and the
// CLI links no AWS package at all.
func TestDependencies(t *testing.T) {
	goTool, err := exec.LookPath("go")
	if err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatal("go tool not found")
		}
		t.Skip("go tool not found")
	}
	deps := func(pkg string) []string {
		out, err := exec.Command(goTool, "list", "-deps", pkg).Output()
		if err != nil {
			t.Fatalf("go list -deps %s: %v", pkg, err)
		}
		return strings.Fields(string(out))
	}
	for _, fn := range []string{"gongwen/functions/http", "gongwen/functions/s3"} {
		hasS3 := false
		for _, p := range deps(fn) {
			hasS3 = hasS3 || p == "github.com/aws/aws-sdk-go-v2/service/s3"
			for _, banned := range []string{"/service/sts", "/service/sso", "/service/ssooidc", "/service/signin", "aws-sdk-go-v2/config"} {
				if strings.HasSuffix(p, banned) || strings.Contains(p, banned+"/") {
					t.Errorf("%s links %s", fn, p)
				}
			}
		}
		if !hasS3 {
			t.Errorf("%s: no S3 client among its dependencies (is the list right?)", fn)
		}
	}
	for _, p := range deps("gongwen/cmd/gongwen") {
		if strings.HasPrefix(p, "github.com/aws/") {
			t.Errorf("the CLI links %s", p)
		}
	}
}
