// Package s3store keeps the HTTP function's oversized outputs in S3 behind presigned
// links. It is a package of its own so that internal/httpapi, which `gongwen serve`
// also uses, does not link the AWS SDK into the CLI.
package s3store

import (
	"bytes"
	"context"
	"fmt"
	"sync"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"

	"gongwen/internal/httpapi"
)

// Store stores outputs in an S3 bucket under Prefix and links to them with
// presigned GET URLs.
type Store struct {
	Bucket string
	Prefix string // e.g. "http-large/"; the bucket's lifecycle rule expires it
	Expiry time.Duration
	// Client returns the S3 client, created on first use so a cold start that never
	// needs it does not pay for loading the AWS configuration.
	Client func(ctx context.Context) (*s3.Client, error)

	mu      sync.Mutex
	client  *s3.Client
	presign *s3.PresignClient
}

func (s *Store) clients(ctx context.Context) (*s3.Client, *s3.PresignClient, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.client == nil {
		c, err := s.Client(ctx)
		if err != nil {
			return nil, nil, err
		}
		s.client, s.presign = c, s3.NewPresignClient(c)
	}
	return s.client, s.presign, nil
}

// Put implements httpapi.Store.
func (s *Store) Put(ctx context.Context, name, contentType, disposition string, body []byte) (httpapi.Link, error) {
	client, presign, err := s.clients(ctx)
	if err != nil {
		return httpapi.Link{}, fmt.Errorf("s3 client: %w", err)
	}
	key := s.Prefix + name
	if _, err := client.PutObject(ctx, &s3.PutObjectInput{
		Bucket:             aws.String(s.Bucket),
		Key:                aws.String(key),
		Body:               bytes.NewReader(body),
		ContentLength:      aws.Int64(int64(len(body))),
		ContentType:        aws.String(contentType),
		ContentDisposition: aws.String(disposition),
	}); err != nil {
		return httpapi.Link{}, fmt.Errorf("put s3://%s/%s: %w", s.Bucket, key, err)
	}
	expiry := s.Expiry
	if expiry <= 0 {
		expiry = httpapi.DefaultLinkExpiry
	}
	req, err := presign.PresignGetObject(ctx, &s3.GetObjectInput{
		Bucket: aws.String(s.Bucket),
		Key:    aws.String(key),
	}, s3.WithPresignExpires(expiry))
	if err != nil {
		return httpapi.Link{}, fmt.Errorf("presign s3://%s/%s: %w", s.Bucket, key, err)
	}
	return httpapi.Link{URL: req.URL, Expires: time.Now().Add(expiry)}, nil
}
