package httpapi

import (
	"context"
	"time"
)

// Link is where a stored output can be downloaded until Expires.
type Link struct {
	URL     string
	Expires time.Time
}

// Store keeps an output too large for the response and returns a short-lived link.
type Store interface {
	Put(ctx context.Context, name, contentType, disposition string, body []byte) (Link, error)
}

// DefaultLinkExpiry is how long a link to a stored output works: long enough to
// follow a redirect or retry a download, short enough that a leaked link soon dies.
const DefaultLinkExpiry = 15 * time.Minute

// The S3-backed Store is internal/s3store: kept out of this package so that
// `gongwen serve` does not link the AWS SDK.
