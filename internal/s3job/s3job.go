// Package s3job renders reports uploaded to S3: for each ObjectCreated record under
// the input prefix it reads the JSON (or imports a .docx or .txt, import.go), renders
// PDF, DOCX and OFD (as configured) through internal/render and writes them under the
// output prefix, or writes the problem document when the report is invalid. The
// functions/s3 Lambda only wires it to the runtime.
package s3job

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/url"
	"strings"
	"time"

	"github.com/aws/aws-lambda-go/events"
	"github.com/aws/aws-lambda-go/lambdacontext"
	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/aws-sdk-go-v2/service/s3/types"

	"gongwen/internal/importer"
	"gongwen/internal/problemdoc"
	"gongwen/internal/render"
	"gongwen/internal/report"
)

// Client is the part of the S3 API the job uses; *s3.Client implements it, and tests
// wrap it to inject failures.
type Client interface {
	GetObject(ctx context.Context, in *s3.GetObjectInput, opts ...func(*s3.Options)) (*s3.GetObjectOutput, error)
	PutObject(ctx context.Context, in *s3.PutObjectInput, opts ...func(*s3.Options)) (*s3.PutObjectOutput, error)
	DeleteObject(ctx context.Context, in *s3.DeleteObjectInput, opts ...func(*s3.Options)) (*s3.DeleteObjectOutput, error)
	// HeadObject reads an output's metadata before it is replaced (consistency.go).
	HeadObject(ctx context.Context, in *s3.HeadObjectInput, opts ...func(*s3.Options)) (*s3.HeadObjectOutput, error)
}

// Defaults of the configuration.
const (
	DefaultInputPrefix  = "incoming/"
	DefaultOutputPrefix = "rendered/"
	inputSuffix         = ".json"
	errorSuffix         = ".error.json"
)

// Metadata keys written on every output (S3 shows them as x-amz-meta-*).
const (
	MetaSourceKey    = "source-key"    // the input's key, percent-encoded (metadata must be ASCII)
	MetaSourceETag   = "source-etag"   // the input's ETag, without quotes
	MetaSourceBucket = "source-bucket" // the input's bucket
)

// Config says where inputs are and where outputs go.
type Config struct {
	InputPrefix  string // keys to render start with it; "" is the whole bucket
	OutputPrefix string // outputs are written under it; never empty
	OutputBucket string // "" writes beside the input, in the same bucket
}

// ConfigFromEnv reads INPUT_PREFIX, OUTPUT_PREFIX and OUTPUT_BUCKET, with defaults,
// and checks the result.
func ConfigFromEnv(getenv func(string) string) (Config, error) {
	c := Config{InputPrefix: DefaultInputPrefix, OutputPrefix: DefaultOutputPrefix, OutputBucket: getenv("OUTPUT_BUCKET")}
	if v, ok := lookup(getenv, "INPUT_PREFIX"); ok {
		c.InputPrefix = v
	}
	if v, ok := lookup(getenv, "OUTPUT_PREFIX"); ok {
		c.OutputPrefix = v
	}
	return c, c.Check()
}

func lookup(getenv func(string) string, k string) (string, bool) {
	v := getenv(k)
	return v, v != ""
}

// Check refuses a configuration under which the job could trigger itself: outputs
// (including .error.json, which ends in .json) must not land under the input prefix
// of the same bucket; nor one under which it would skip every input. The per-record guard stops a loop anyway; this makes the
// mistake loud at start-up instead of costing an invocation per output.
func (c Config) Check() error {
	if c.OutputPrefix == "" {
		return errors.New("s3job: OUTPUT_PREFIX must not be empty")
	}
	if c.OutputBucket == "" && strings.HasPrefix(c.OutputPrefix, c.InputPrefix) {
		return fmt.Errorf("s3job: OUTPUT_PREFIX %q is inside INPUT_PREFIX %q of the same bucket: outputs would trigger the function again", c.OutputPrefix, c.InputPrefix)
	}
	// The guard skips every key under the output prefix, in any bucket: inputs there
	// would all be skipped, silently.
	if strings.HasPrefix(c.InputPrefix, c.OutputPrefix) {
		return fmt.Errorf("s3job: INPUT_PREFIX %q is inside OUTPUT_PREFIX %q: every upload would be taken for an output and skipped", c.InputPrefix, c.OutputPrefix)
	}
	return nil
}

// Job processes S3 events.
type Job struct {
	client Client
	cfg    Config
	logger *slog.Logger
	// render is the renderer; tests replace it.
	render func(ctx context.Context, input []byte, formats []render.Format) (*render.Output, error)
	// formats are written for every input (WithFormats); DefaultFormats when nil.
	formats []render.Format
}

// DefaultFormats is what a job renders unless told otherwise (the template's
// OutputFormats parameter asks for pdf,docx,ofd).
var DefaultFormats = []render.Format{render.PDF, render.DOCX}

// FormatsFromEnv reads OUTPUT_FORMATS ("pdf,docx,ofd"); unset means DefaultFormats.
func FormatsFromEnv(getenv func(string) string) ([]render.Format, error) {
	v := getenv("OUTPUT_FORMATS")
	if v == "" {
		return DefaultFormats, nil
	}
	fs, err := render.ParseFormats(v)
	if err != nil {
		return nil, fmt.Errorf("s3job: OUTPUT_FORMATS: %w", err)
	}
	return fs, nil
}

// WithFormats sets the formats written for every input and returns j.
func (j *Job) WithFormats(fs []render.Format) *Job {
	j.formats = fs
	return j
}

func (j *Job) outputFormats() []render.Format {
	if len(j.formats) == 0 {
		return DefaultFormats
	}
	return j.formats
}

// New returns a job. A nil logger means slog.Default().
func New(client Client, cfg Config, logger *slog.Logger) *Job {
	if logger == nil {
		logger = slog.Default()
	}
	return &Job{client: client, cfg: cfg, logger: logger, render: render.Render}
}

// Outcome is what happened to one record.
type Outcome string

const (
	Rendered Outcome = "rendered" // the outputs written
	Invalid  Outcome = "invalid"  // the problem document written
	Skipped  Outcome = "skipped"  // not an input (guard), or gone before it was read
	Failed   Outcome = "failed"   // a transient or internal failure: the error is returned
)

// Handle processes every record of an event. Records that fail do not stop the
// others; their errors are joined and returned so that Lambda retries the event
// (records already done are redone idempotently: same input, same bytes).
func (j *Job) Handle(ctx context.Context, ev events.S3Event) error {
	var errs []error
	for i := range ev.Records {
		if _, err := j.Record(ctx, &ev.Records[i]); err != nil {
			errs = append(errs, err)
		}
	}
	return errors.Join(errs...)
}

// Record processes one record and logs one line about it.
func (j *Job) Record(ctx context.Context, rec *events.S3EventRecord) (outcome Outcome, err error) {
	start := time.Now()
	bucket := rec.S3.Bucket.Name
	key, kerr := DecodeKey(rec.S3.Object.Key)
	st := &recordStats{}
	defer func() {
		if p := recover(); p != nil {
			outcome, err = Failed, fmt.Errorf("s3://%s/%s: internal error: %v", bucket, key, p)
		}
		j.log(ctx, bucket, key, outcome, st, err, time.Since(start))
	}()
	if kerr != nil {
		// S3 always encodes keys properly; a broken one is not ours to render.
		st.reason = "undecodable key"
		return Skipped, nil
	}
	if reason := j.skip(rec.EventName, key); reason != "" {
		st.reason = reason
		return Skipped, nil
	}
	return j.process(ctx, bucket, key, &rec.S3.Object, st)
}

type recordStats struct {
	pages, bytes int
	reason       string
}

func (j *Job) log(ctx context.Context, bucket, key string, o Outcome, st *recordStats, err error, d time.Duration) {
	attrs := []slog.Attr{
		slog.String("request_id", requestID(ctx)),
		slog.String("source", "s3"),
		slog.String("bucket", bucket),
		slog.String("key", key),
		slog.String("outcome", string(o)),
		slog.Int("pages", st.pages),
		slog.Int("bytes", st.bytes),
		slog.Float64("ms", float64(d.Microseconds())/1000),
	}
	level := slog.LevelInfo
	if st.reason != "" {
		attrs = append(attrs, slog.String("reason", st.reason))
	}
	if err != nil {
		level = slog.LevelError
		attrs = append(attrs, slog.String("err", err.Error()))
		if errors.Is(err, context.DeadlineExceeded) || errors.Is(err, context.Canceled) {
			// The invocation ran out of time (it is retried): not a fault of the service.
			level = slog.LevelInfo
			attrs = append(attrs, slog.Bool("cancelled", true))
		}
	}
	j.logger.LogAttrs(ctx, level, "record", attrs...)
}

func requestID(ctx context.Context) string {
	if lc, ok := lambdacontext.FromContext(ctx); ok {
		return lc.AwsRequestID
	}
	return ""
}

// DecodeKey turns an event's object key into the real key: S3 notifications
// form-encode keys ('+' for a space, %XX for other bytes such as UTF-8 Chinese).
func DecodeKey(k string) (string, error) {
	return url.QueryUnescape(k)
}

// skip is why a key is not an input, or "" when it is one. This guard is what keeps
// the function from ever triggering itself, whatever the bucket notification says.
func (j *Job) skip(eventName, key string) string {
	switch {
	case eventName != "" && !strings.HasPrefix(eventName, "ObjectCreated:"):
		return "not an ObjectCreated event"
	case strings.HasPrefix(key, j.cfg.OutputPrefix):
		return "under the output prefix"
	case !strings.HasPrefix(key, j.cfg.InputPrefix):
		return "outside the input prefix"
	case strings.HasSuffix(key, errorSuffix):
		return "named like an error document (*" + errorSuffix + "), which the job writes: not rendered; rename the report"
	case !isInputKey(key):
		return "not a .json report, .docx or .txt"
	case strings.HasSuffix(key, "/"):
		return "a folder"
	}
	return ""
}

// OutputKey is where the output with extension ext (".pdf", ".docx", ".error.json")
// of input key goes: the same name and subfolders, moved from the input prefix to the
// output prefix.
func (c Config) OutputKey(key, ext string) string {
	rel := strings.TrimPrefix(key, c.InputPrefix)
	return c.OutputPrefix + trimInputExt(rel) + ext
}

func (j *Job) process(ctx context.Context, bucket, key string, obj *events.S3Object, st *recordStats) (Outcome, error) {
	src := source{bucket: bucket, key: key, versionID: obj.VersionID, seq: obj.Sequencer, etag: strings.Trim(obj.ETag, `"`)}
	if code, msg := j.cfg.keyProblem(key); code != "" {
		// No output key can be made from it: the error document goes under a short
		// hashed name, with the full key in it and in the log.
		st.reason = code
		return j.invalid(ctx, src, keyError(code, msg), st)
	}
	limit, tooLarge := inputLimit(key)
	if obj.Size > limit {
		// The event says it is too large: do not even read it.
		return j.invalid(ctx, src, tooLarge(obj.Size), st)
	}
	data, etag, err := j.read(ctx, src, limit, tooLarge)
	var inv *report.InvalidError
	switch {
	case errors.As(err, &inv):
		src.etag = etag
		return j.invalid(ctx, src, inv, st)
	case isNotFound(err):
		// Deleted (or overwritten and deleted) before we got to it: nothing to render.
		st.reason = "object no longer exists"
		return Skipped, nil
	case isPreconditionFailed(err):
		// Overwritten since the event: the newer upload's event renders it. Failing
		// (not skipping) leaves the record visible if that event never comes.
		st.reason = "input changed since the event (ETag no longer matches)"
		return Failed, err
	case err != nil:
		return Failed, err
	}
	src.etag = etag
	if isImportKey(key) {
		var o Outcome
		if data, o, err = j.importInput(ctx, src, data, st); err != nil || o != "" {
			return o, err
		}
	}
	out, err := j.render(ctx, data, j.outputFormats())
	if err != nil {
		if inv, ok := problemdoc.AsInvalid(err); ok {
			return j.invalid(ctx, src, inv, st)
		}
		return Failed, fmt.Errorf("s3://%s/%s: %w", bucket, key, err)
	}
	st.pages = out.Pages
	if err := timeLeft(ctx); err != nil {
		return Failed, fmt.Errorf("s3://%s/%s: %w", bucket, key, err)
	}
	for _, f := range j.outputFormats() {
		b := out.Bytes(f)
		st.bytes += len(b)
		if err := j.put(ctx, src, j.cfg.OutputKey(key, "."+string(f)), f.ContentType(), b); err != nil {
			return j.superseded(err, st)
		}
	}
	// A previous upload of the same name may have left a problem document that no
	// longer applies.
	if err := j.delete(ctx, src, j.cfg.OutputKey(key, errorSuffix)); err != nil {
		return j.superseded(err, st)
	}
	return Rendered, nil
}

// source is the input an output came from: the object version the event names.
type source struct {
	bucket, key, etag string
	versionID, seq    string // from the event; "" when the bucket is not versioned / none given
}

// superseded turns errSuperseded into a skipped record: a newer upload's outputs are
// there and stay.
func (j *Job) superseded(err error, st *recordStats) (Outcome, error) {
	if errors.Is(err, errSuperseded) {
		st.reason = "superseded: " + err.Error()
		return Skipped, nil
	}
	return Failed, err
}

// inputLimit is the size limit of an upload: report JSON and text 2 MB, a Word file
// importer.MaxDOCXBytes (embedded fonts make them large; only the parts the import
// reads are unpacked).
func inputLimit(key string) (int64, func(int64) *report.InvalidError) {
	if strings.HasSuffix(strings.ToLower(key), ".docx") {
		return importer.MaxDOCXBytes, importer.TooLarge
	}
	return report.MaxInputBytes, report.TooLarge
}

// read gets the object, refusing one over limit without reading it.
func (j *Job) read(ctx context.Context, src source, limit int64, tooLarge func(int64) *report.InvalidError) ([]byte, string, error) {
	bucket, key := src.bucket, src.key
	in := &s3.GetObjectInput{Bucket: aws.String(bucket), Key: aws.String(key)}
	switch {
	case src.versionID != "":
		in.VersionId = aws.String(src.versionID)
	case src.etag != "":
		in.IfMatch = aws.String(`"` + src.etag + `"`)
	}
	obj, err := j.client.GetObject(ctx, in)
	if err != nil {
		return nil, "", fmt.Errorf("get s3://%s/%s: %w", bucket, key, err)
	}
	defer obj.Body.Close()
	etag := strings.Trim(aws.ToString(obj.ETag), `"`)
	if n := aws.ToInt64(obj.ContentLength); n > limit {
		return nil, etag, tooLarge(n)
	}
	data, err := io.ReadAll(io.LimitReader(obj.Body, limit+1))
	if err != nil {
		return nil, "", fmt.Errorf("read s3://%s/%s: %w", bucket, key, err)
	}
	if int64(len(data)) > limit {
		return nil, etag, tooLarge(int64(len(data)))
	}
	return data, etag, nil
}

// invalid writes the problem document for a hopeless input and removes outputs an
// earlier valid upload of the same name left. The record succeeds: a retry could not
// help.
func (j *Job) invalid(ctx context.Context, src source, inv *report.InvalidError, st *recordStats) (Outcome, error) {
	d := problemdoc.FromInvalid(inv)
	d.Instance = "s3://" + src.bucket + "/" + escapeKey(src.key)
	body := d.JSON()
	st.bytes = len(body)
	if code, _ := j.cfg.keyProblem(src.key); code != "" {
		// There are no outputs under such a key to remove.
		return j.outcome(Invalid, j.put(ctx, src, j.cfg.hashedErrorKey(src.key), problemdoc.ContentType+"; charset=utf-8", body), st)
	}
	if err := timeLeft(ctx); err != nil {
		return Failed, fmt.Errorf("s3://%s/%s: %w", src.bucket, src.key, err)
	}
	if err := j.put(ctx, src, j.cfg.OutputKey(src.key, errorSuffix), problemdoc.ContentType+"; charset=utf-8", body); err != nil {
		return j.superseded(err, st)
	}
	// Every format's output goes, not only the configured ones: a file left from
	// before a configuration change would contradict the problem document.
	for _, f := range render.Formats() {
		if err := j.delete(ctx, src, j.cfg.OutputKey(src.key, "."+string(f))); err != nil {
			return j.superseded(err, st)
		}
	}
	return Invalid, nil
}

func (j *Job) outBucket(src source) string {
	if j.cfg.OutputBucket != "" {
		return j.cfg.OutputBucket
	}
	return src.bucket
}

func (j *Job) put(ctx context.Context, src source, key, contentType string, body []byte) error {
	bucket := j.outBucket(src)
	return j.putCurrent(ctx, src, key, &s3.PutObjectInput{
		Bucket:        aws.String(bucket),
		Key:           aws.String(key),
		Body:          bytes.NewReader(body),
		ContentLength: aws.Int64(int64(len(body))),
		ContentType:   aws.String(contentType),
		Metadata:      metadata(src),
	})
}

// outcome is o, or a failure (or a skip, when superseded) if err is not nil.
func (j *Job) outcome(o Outcome, err error, st *recordStats) (Outcome, error) {
	if err != nil {
		return j.superseded(err, st)
	}
	return o, nil
}

func (j *Job) delete(ctx context.Context, src source, key string) error {
	return j.deleteCurrent(ctx, src, key)
}

// escapeKey percent-encodes a key for ASCII-only places (metadata, URIs), keeping
// the slashes readable.
func escapeKey(key string) string {
	return (&url.URL{Path: key}).EscapedPath()
}

func isNotFound(err error) bool {
	var nsk *types.NoSuchKey
	var nf *types.NotFound
	return errors.As(err, &nsk) || errors.As(err, &nf)
}
