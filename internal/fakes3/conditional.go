package fakes3

import (
	"context"
	"encoding/hex"
	"net/http"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/aws-sdk-go-v2/service/s3/types"
	"github.com/johannesboyne/gofakes3"
)

// ifMatch answers a GET, HEAD or DELETE whose If-Match names another ETag with 412
// Precondition Failed, as S3 does (gofakes3 checks If-Match on PUT only).
func ifMatch(backend gofakes3.Backend, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		m := r.Header.Get("If-Match")
		if m != "" && (r.Method == http.MethodGet || r.Method == http.MethodHead || r.Method == http.MethodDelete) && r.URL.Query().Get("versionId") == "" {
			bucket, key, _ := strings.Cut(strings.TrimPrefix(r.URL.Path, "/"), "/")
			if obj, err := backend.HeadObject(bucket, key); err == nil && strings.Trim(m, `"`) != hex.EncodeToString(obj.Hash) {
				w.Header().Set("Content-Type", "application/xml")
				w.WriteHeader(http.StatusPreconditionFailed)
				if r.Method == http.MethodGet {
					w.Write([]byte(`<?xml version="1.0" encoding="UTF-8"?><Error><Code>PreconditionFailed</Code><Message>At least one of the pre-conditions you specified did not hold</Message></Error>`))
				}
				return
			}
		}
		next.ServeHTTP(w, r)
	})
}

// EnableVersioning turns versioning on for bucket.
func (s *Server) EnableVersioning(t testing.TB, bucket string) {
	t.Helper()
	if _, err := s.Client.PutBucketVersioning(context.Background(), &s3.PutBucketVersioningInput{
		Bucket:                  aws.String(bucket),
		VersioningConfiguration: &types.VersioningConfiguration{Status: types.BucketVersioningStatusEnabled},
	}); err != nil {
		t.Fatalf("enable versioning on %s: %v", bucket, err)
	}
}

// PutVersion stores an object and returns its version id ("" when the bucket is not
// versioned) and ETag (without quotes).
func (s *Server) PutVersion(t testing.TB, bucket, key string, body []byte) (versionID, etag string) {
	t.Helper()
	out, err := s.Client.PutObject(context.Background(), &s3.PutObjectInput{
		Bucket: aws.String(bucket), Key: aws.String(key), Body: bytesReader(body),
		ContentType: aws.String("application/json"),
	})
	if err != nil {
		t.Fatalf("put s3://%s/%s: %v", bucket, key, err)
	}
	return aws.ToString(out.VersionId), strings.Trim(aws.ToString(out.ETag), `"`)
}
