package s3client

import (
	"context"
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

func TestNewWithEndpoint(t *testing.T) {
	t.Setenv("AWS_REGION", "us-east-1")
	t.Setenv("AWS_ACCESS_KEY_ID", "x")
	t.Setenv("AWS_SECRET_ACCESS_KEY", "y")
	t.Setenv("AWS_CONFIG_FILE", "/dev/null")
	t.Setenv("AWS_SHARED_CREDENTIALS_FILE", "/dev/null")
	t.Setenv("AWS_ENDPOINT_URL_S3", "")
	t.Setenv("AWS_ENDPOINT_URL", "")
	env := map[string]string{"S3_ENDPOINT_URL": "http://127.0.0.1:9000"}
	c, err := New(context.Background(), func(k string) string { return env[k] })
	if err != nil {
		t.Fatal(err)
	}
	o := c.Options()
	if aws.ToString(o.BaseEndpoint) != "http://127.0.0.1:9000" || !o.UsePathStyle || !o.DisableLogOutputChecksumValidationSkipped {
		t.Errorf("options: endpoint %q path-style %v", aws.ToString(o.BaseEndpoint), o.UsePathStyle)
	}
	plain, err := New(context.Background(), func(string) string { return "" })
	if err != nil {
		t.Fatal(err)
	}
	if plain.Options().BaseEndpoint != nil || plain.Options().UsePathStyle {
		t.Error("no endpoint override expected")
	}
}
