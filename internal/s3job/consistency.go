package s3job

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/smithy-go"

	"gongwen/internal/report"
)

// Consistency of the outputs with the inputs (see the package comment of s3job.go):
//
//   - the job renders exactly the object version its event names: GetObject with the
//     event's VersionId when the bucket is versioned, else with If-Match on the
//     event's ETag, so that an overwritten input fails the record (412) and the newer
//     upload's own event renders it;
//   - every output carries the event's sequencer (MetaSequencer); before writing or
//     deleting an output the job reads the one there and leaves it alone when it
//     comes from a newer event, and writes (and deletes) with If-Match /
//     If-None-Match on what it read, so that two renders of one key cannot
//     interleave their writes;
//   - metadata always fits S3's 2 KB, and keys that cannot make valid output keys
//     get an error document under a short hashed name.

// More metadata keys of every output.
const (
	MetaSequencer     = "source-sequencer"  // the event's sequencer: orders uploads of one key
	MetaSourceVersion = "source-version-id" // the input's version, when the bucket is versioned
	MetaSourceKeyHash = "source-key-sha256" // SHA-256 of the full key, hex: identifies it when source-key is cut
)

// Limits of S3 that outputs must respect.
const (
	maxKeyBytes = 1024 // an object key, UTF-8
	// maxMetaKeyBytes is the most of the percent-encoded key kept in source-key: the
	// other values take at most about 300 bytes of S3's 2 KB of user metadata.
	maxMetaKeyBytes = 1024
)

// MinWriteTime is the least time a record must have left before it starts writing its
// outputs: three puts, a delete and the reads before them. With less, it fails and
// is retried whole instead of being cut off between two writes.
const MinWriteTime = 3 * time.Second

// errSuperseded means a newer upload of the same key has already written its outputs.
var errSuperseded = errors.New("a newer upload of the same key has been rendered")

// seqNewer reports whether sequencer a is later than b. S3's sequencers are
// hexadecimal strings of varying length, ordered once left-padded to equal length;
// an empty sequencer is older than any other.
func seqNewer(a, b string) bool {
	a, b = strings.ToUpper(a), strings.ToUpper(b)
	if n := max(len(a), len(b)); n > 0 {
		a = strings.Repeat("0", n-len(a)) + a
		b = strings.Repeat("0", n-len(b)) + b
	}
	return a > b
}

// keyHash is the hex SHA-256 of a key.
func keyHash(key string) string {
	h := sha256.Sum256([]byte(key))
	return hex.EncodeToString(h[:])
}

// metadata is what every output carries about its source, within S3's limits.
func metadata(src source) map[string]string {
	k := escapeKey(src.key)
	if len(k) > maxMetaKeyBytes {
		// Cut at a whole %XX escape; the hash identifies the key.
		cut := maxMetaKeyBytes
		if i := strings.LastIndexByte(k[cut-2:cut], '%'); i >= 0 {
			cut -= 2 - i
		}
		k = k[:cut] + "..."
	}
	m := map[string]string{
		MetaSourceKey:     k,
		MetaSourceKeyHash: keyHash(src.key),
		MetaSourceETag:    src.etag,
		MetaSourceBucket:  src.bucket,
	}
	if src.seq != "" {
		m[MetaSequencer] = src.seq
	}
	if src.versionID != "" {
		m[MetaSourceVersion] = src.versionID
	}
	return m
}

// keyProblem is why an input key cannot give output keys ("" when it can): an
// output key over S3's limit, or a path segment that is empty, "." or "..", which
// would put outputs elsewhere than beside their name ("rendered/../x.pdf").
func (c Config) keyProblem(key string) (code, msg string) {
	rel := strings.TrimPrefix(key, c.InputPrefix)
	for _, seg := range strings.Split(rel, "/") {
		if seg == "" || seg == "." || seg == ".." {
			return "unsafe_key", fmt.Sprintf("对象键含有空的、“.”或“..”的路径段，输出位置不明确：%q。The key has an empty, \".\" or \"..\" path segment, so its outputs have no well-defined place: %q.", key, key)
		}
	}
	for _, ext := range []string{".docx", errorSuffix} {
		if n := len(c.OutputKey(key, ext)); n > maxKeyBytes {
			return "key_too_long", fmt.Sprintf("对象键过长：输出的键将有 %d 字节，S3 最多 %d 字节。请缩短文件名或目录。The key is too long: its output keys would have %d bytes, S3 allows %d; shorten the name or its folders. Key: %q",
				n, maxKeyBytes, n, maxKeyBytes, key)
		}
	}
	return "", ""
}

// hashedErrorKey is where the error document of a key that cannot give output keys
// goes: a short name under the output prefix that the full key determines.
func (c Config) hashedErrorKey(key string) string {
	return c.OutputPrefix + "invalid-keys/" + keyHash(key)[:32] + errorSuffix
}

// keyError is the invalid-input error of a key that cannot give output keys.
func keyError(code, msg string) *report.InvalidError {
	return &report.InvalidError{Kind: report.KindInvalid, Problems: []report.Problem{{Path: "", Code: code, Message: msg}}}
}

// timeLeft fails a record that has too little of its deadline left to write its
// outputs.
func timeLeft(ctx context.Context) error {
	if d, ok := ctx.Deadline(); ok {
		if left := time.Until(d); left < MinWriteTime {
			return fmt.Errorf("only %v of the invocation's time left, less than the %v writing needs: not starting to write (the retry renders it again)", left.Round(time.Millisecond), MinWriteTime)
		}
	}
	return nil
}

// current reads the output at key: its ETag (quoted, as If-Match wants it) when it
// exists, and whether it comes from an event newer than src's.
func (j *Job) current(ctx context.Context, bucket, key string, src source) (etag string, exists, newer bool, err error) {
	out, err := j.client.HeadObject(ctx, &s3.HeadObjectInput{Bucket: aws.String(bucket), Key: aws.String(key)})
	if isNotFound(err) {
		return "", false, false, nil
	}
	if err != nil {
		return "", false, false, fmt.Errorf("head s3://%s/%s: %w", bucket, key, err)
	}
	return aws.ToString(out.ETag), true, seqNewer(out.Metadata[MetaSequencer], src.seq), nil
}

// isPreconditionFailed reports S3's 412 (and the conflict it gives a conditional
// write racing another).
func isPreconditionFailed(err error) bool {
	var ae smithy.APIError
	if errors.As(err, &ae) && (ae.ErrorCode() == "PreconditionFailed" || ae.ErrorCode() == "ConditionalRequestConflict") {
		return true
	}
	var re interface{ HTTPStatusCode() int }
	return errors.As(err, &re) && (re.HTTPStatusCode() == http.StatusPreconditionFailed || re.HTTPStatusCode() == http.StatusConflict)
}

// conditionalAttempts is how often a write that lost a race re-reads and retries.
const conditionalAttempts = 3

// putCurrent writes an output unless a newer event's output is there, atomically
// with respect to what it read: If-Match on the ETag read, or If-None-Match when
// there was none.
func (j *Job) putCurrent(ctx context.Context, src source, key string, in *s3.PutObjectInput) error {
	bucket := aws.ToString(in.Bucket)
	for range conditionalAttempts {
		etag, exists, newer, err := j.current(ctx, bucket, key, src)
		if err != nil {
			return err
		}
		if newer {
			return errSuperseded
		}
		in.IfMatch, in.IfNoneMatch = nil, nil
		if exists {
			in.IfMatch = aws.String(etag)
		} else {
			in.IfNoneMatch = aws.String("*")
		}
		if seeker, ok := in.Body.(interface {
			Seek(int64, int) (int64, error)
		}); ok {
			seeker.Seek(0, 0)
		}
		_, err = j.client.PutObject(ctx, in)
		if err == nil {
			return nil
		}
		if !isPreconditionFailed(err) {
			return fmt.Errorf("put s3://%s/%s: %w", bucket, key, err)
		}
	}
	return fmt.Errorf("put s3://%s/%s: another render kept writing it (%d conditional writes failed)", bucket, key, conditionalAttempts)
}

// deleteCurrent removes a stale output unless a newer event wrote it. The delete is
// conditional on the ETag read (S3's If-Match on DeleteObject), so an output a newer
// render wrote between the read and the delete fails it with 412 and is read again,
// then kept. What remains is outside our reach: an S3 compatible (or an old proxy)
// that ignores If-Match on DELETE deletes unconditionally, and then the window is the
// few milliseconds between the HEAD and the DELETE, as before; in a versioned output
// bucket a delete only adds a delete marker, so the newer output stays recoverable.
func (j *Job) deleteCurrent(ctx context.Context, src source, key string) error {
	bucket := j.outBucket(src)
	for range conditionalAttempts {
		etag, exists, newer, err := j.current(ctx, bucket, key, src)
		if err != nil || !exists {
			return err
		}
		if newer {
			return errSuperseded
		}
		_, err = j.client.DeleteObject(ctx, &s3.DeleteObjectInput{Bucket: aws.String(bucket), Key: aws.String(key), IfMatch: aws.String(etag)})
		if err == nil || isNotFound(err) {
			return nil
		}
		if !isPreconditionFailed(err) {
			return fmt.Errorf("delete s3://%s/%s: %w", bucket, key, err)
		}
	}
	return fmt.Errorf("delete s3://%s/%s: another render kept writing it (%d conditional deletes failed)", bucket, key, conditionalAttempts)
}
