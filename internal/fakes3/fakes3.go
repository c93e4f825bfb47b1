// Package fakes3 runs an S3-compatible server in memory on loopback for tests
// (github.com/johannesboyne/gofakes3), with a real AWS SDK client pointed at it, so
// tests exercise the same requests the functions make against S3.
package fakes3

import (
	"bytes"
	"context"
	"io"
	"net/http/httptest"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/johannesboyne/gofakes3"
	"github.com/johannesboyne/gofakes3/backend/s3mem"
)

// Credentials and region the fake accepts (it checks no signature); set them in the
// environment of a process that should talk to it.
const (
	AccessKey = "AKIDGONGWENTEST"
	SecretKey = "gongwen-test-secret"
	Region    = "us-east-1"
)

// Server is a running fake.
type Server struct {
	URL    string
	Client *s3.Client
}

// Start serves a fake S3 with the given buckets until the test ends.
func Start(t testing.TB, buckets ...string) *Server {
	t.Helper()
	backend := s3mem.New()
	faker := gofakes3.New(backend)
	ts := httptest.NewServer(ifMatch(backend, faker.Server()))
	t.Cleanup(ts.Close)
	s := &Server{URL: ts.URL, Client: NewClient(ts.URL)}
	for _, b := range buckets {
		if _, err := s.Client.CreateBucket(context.Background(), &s3.CreateBucketInput{Bucket: aws.String(b)}); err != nil {
			t.Fatalf("create bucket %s: %v", b, err)
		}
	}
	return s
}

// NewClient is a real SDK client for the fake at url (path-style, static keys).
func NewClient(url string) *s3.Client {
	return s3.New(s3.Options{
		Region:       Region,
		Credentials:  credentials.NewStaticCredentialsProvider(AccessKey, SecretKey, ""),
		BaseEndpoint: aws.String(url),
		UsePathStyle: true,
	})
}

// Put stores an object.
func (s *Server) Put(t testing.TB, bucket, key string, body []byte) {
	t.Helper()
	if _, err := s.Client.PutObject(context.Background(), &s3.PutObjectInput{
		Bucket: aws.String(bucket), Key: aws.String(key), Body: bytesReader(body),
		ContentType: aws.String("application/json"),
	}); err != nil {
		t.Fatalf("put s3://%s/%s: %v", bucket, key, err)
	}
}

// Get reads an object back with its headers, or fails the test.
func (s *Server) Get(t testing.TB, bucket, key string) ([]byte, *s3.GetObjectOutput) {
	t.Helper()
	out, err := s.Client.GetObject(context.Background(), &s3.GetObjectInput{Bucket: aws.String(bucket), Key: aws.String(key)})
	if err != nil {
		t.Fatalf("get s3://%s/%s: %v", bucket, key, err)
	}
	defer out.Body.Close()
	b, err := io.ReadAll(out.Body)
	if err != nil {
		t.Fatalf("read s3://%s/%s: %v", bucket, key, err)
	}
	return b, out
}

// Keys lists every key in bucket.
func (s *Server) Keys(t testing.TB, bucket string) []string {
	t.Helper()
	out, err := s.Client.ListObjectsV2(context.Background(), &s3.ListObjectsV2Input{Bucket: aws.String(bucket)})
	if err != nil {
		t.Fatalf("list s3://%s: %v", bucket, err)
	}
	var keys []string
	for _, o := range out.Contents {
		keys = append(keys, aws.ToString(o.Key))
	}
	return keys
}

func bytesReader(b []byte) io.ReadSeeker { return bytes.NewReader(b) }
