package main

import (
	"context"
	"strings"
	"testing"
)

func TestNewJob(t *testing.T) {
	tests := []struct {
		env     map[string]string
		wantErr string
	}{
		{map[string]string{}, ""},
		{map[string]string{"OUTPUT_BUCKET": "out", "S3_ENDPOINT_URL": "http://127.0.0.1:1"}, ""},
		{map[string]string{"OUTPUT_PREFIX": "incoming/rendered/"}, "trigger the function again"},
		// Credentials come from the environment only; without them init fails.
		{map[string]string{"AWS_ACCESS_KEY_ID": ""}, "AWS_ACCESS_KEY_ID"},
	}
	for _, tc := range tests {
		for k, v := range map[string]string{"AWS_REGION": "us-east-1", "AWS_ACCESS_KEY_ID": "x", "AWS_SECRET_ACCESS_KEY": "y"} {
			if _, set := tc.env[k]; !set {
				tc.env[k] = v
			}
		}
		job, err := newJob(context.Background(), func(k string) string { return tc.env[k] }, nil)
		switch {
		case tc.wantErr == "" && (err != nil || job == nil):
			t.Errorf("%v: %v", tc.env, err)
		case tc.wantErr != "" && (err == nil || !strings.Contains(err.Error(), tc.wantErr)):
			t.Errorf("%v: error %v, want %q", tc.env, err, tc.wantErr)
		}
	}
}
