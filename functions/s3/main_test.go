package main

import (
	"context"
	"strings"
	"testing"
)

func TestNewJob(t *testing.T) {
	t.Setenv("AWS_REGION", "us-east-1")
	t.Setenv("AWS_CONFIG_FILE", "/dev/null")
	t.Setenv("AWS_SHARED_CREDENTIALS_FILE", "/dev/null")
	tests := []struct {
		env     map[string]string
		wantErr string
	}{
		{map[string]string{}, ""},
		{map[string]string{"OUTPUT_BUCKET": "out", "S3_ENDPOINT_URL": "http://127.0.0.1:1"}, ""},
		{map[string]string{"OUTPUT_PREFIX": "incoming/rendered/"}, "trigger the function again"},
	}
	for _, tc := range tests {
		job, err := newJob(context.Background(), func(k string) string { return tc.env[k] }, nil)
		switch {
		case tc.wantErr == "" && (err != nil || job == nil):
			t.Errorf("%v: %v", tc.env, err)
		case tc.wantErr != "" && (err == nil || !strings.Contains(err.Error(), tc.wantErr)):
			t.Errorf("%v: error %v, want %q", tc.env, err, tc.wantErr)
		}
	}
}
