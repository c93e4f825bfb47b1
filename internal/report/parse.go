package report

import (
	"bytes"
	"context"
	"fmt"
	"sort"
	"strconv"
)

// Parse decodes, validates and normalises a report. warnings lists what it changed
// (for example a heading number it removed); it is returned with an invalid input
// too. When the input is invalid, err is a *InvalidError with every problem found.
// Any other error is the service's fault (the embedded schema failed to compile).
func Parse(data []byte) (r *Report, warnings []Problem, err error) {
	return ParseContext(context.Background(), data)
}

// ParseContext is Parse that stops once ctx ends: between its passes (decoding, which
// checks the syntax, schema, building; each some tens of milliseconds on a 2 MB input)
// and inside them every 1,024 values (stop.go), returning ctx's error.
func ParseContext(ctx context.Context, data []byte) (r *Report, warnings []Problem, err error) {
	if len(data) > MaxInputBytes {
		return nil, nil, TooLarge(int64(len(data)))
	}
	skip := 0
	if bytes.HasPrefix(data, bom) {
		skip = len(bom)
	}
	if ps := checkEncoding(data, skip); len(ps) > 0 {
		return nil, nil, &InvalidError{Kind: KindMalformed, Problems: ps}
	}
	body := data[skip:]
	if err := ctx.Err(); err != nil {
		return nil, nil, err
	}
	stop := &stopper{ctx: ctx}
	// The decoder refuses what is not JSON (errSyntax); encoding/json then says where
	// and why for the message (checkSyntax), so that a valid input is scanned once.
	tree, dups, err := decodeTreeStop(body, stop)
	if err != nil && ctx.Err() != nil {
		return nil, nil, ctx.Err() // stopped inside the pass
	}
	if err != nil {
		if p := checkSyntax(body); p != nil {
			return nil, nil, &InvalidError{Kind: KindMalformed, Problems: []Problem{*p}}
		}
		// encoding/json accepts what the decoder refused: our fault, not the input's.
		return nil, nil, fmt.Errorf("report: decode: %w", err)
	}
	if err := ctx.Err(); err != nil {
		return nil, nil, err
	}
	schemaProblems, err := validateSchema(tree, stop)
	if err != nil {
		return nil, nil, err
	}
	if err := ctx.Err(); err != nil {
		return nil, nil, err
	}
	var errs []Problem
	if err := stoppable(func() { r, errs, warnings = build(tree, stop) }); err != nil {
		return nil, nil, err
	}
	sortProblems(warnings)
	problems := append(append(errs, dups...), schemaProblems...)
	if len(problems) > 0 {
		return nil, warnings, &InvalidError{Kind: KindInvalid, Problems: tidy(problems), Warnings: warnings}
	}
	return r, warnings, nil
}

// TooLarge is the error for an input of size bytes over MaxInputBytes. Edges that
// know the size before reading (a Content-Length, an S3 object's size) use it to
// refuse without reading.
func TooLarge(size int64) *InvalidError {
	return &InvalidError{Kind: KindTooLarge, Problems: []Problem{{Code: CodeTooLarge,
		Message: fmt.Sprintf("文件过大：%d 字节，最多 %d 字节（2 MB）。The input is too large: %d bytes, at most %d (2 MB).",
			size, MaxInputBytes, size, MaxInputBytes)}}}
}

// TooLargeUnknown is the error for an input cut off after MaxInputBytes whose real
// size is not known (a chunked upload, a pipe): it says "more than 2 MB" rather than
// a size that is only where reading stopped.
func TooLargeUnknown() *InvalidError {
	return &InvalidError{Kind: KindTooLarge, Problems: []Problem{{Code: CodeTooLarge,
		Message: fmt.Sprintf("文件过大：超过 2 MB（%d 字节）。The input is too large: more than 2 MB (%d bytes).",
			MaxInputBytes, MaxInputBytes)}}}
}

// tidy sorts the findings in document order, drops duplicates (the schema and the Go
// checks may both see an empty heading; the first, ours, has the better message; a
// whole-report limit is reported once, where it is first broken) and caps their number.
func tidy(ps []Problem) []Problem {
	type key struct{ path, code string }
	seen := map[key]bool{}
	once := map[string]bool{}
	sortProblems(ps)
	out := ps[:0:0]
	for _, p := range ps {
		k := key{p.Path, p.Code}
		if seen[k] {
			continue
		}
		if p.Code == CodeTooManySections || p.Code == CodeTooManyBlocks {
			if once[p.Code] {
				continue
			}
			once[p.Code] = true
		}
		seen[k] = true
		out = append(out, p)
	}
	if len(out) > MaxProblems {
		out = append(out[:MaxProblems], Problem{Code: CodeTooManyProblems, Message: fmt.Sprintf(
			"还有更多问题未列出（只列出前 %d 个）。More problems are not listed (only the first %d are).", MaxProblems, MaxProblems)})
	}
	return out
}

// sortProblems puts problems in document order: by path, array indices numerically
// and fields in contract order; problems at one path keep their order.
func sortProblems(ps []Problem) {
	type keyed struct {
		tokens []string
		p      Problem
	}
	ks := make([]keyed, len(ps))
	for i, p := range ps {
		ks[i] = keyed{splitPointer(p.Path), p}
	}
	sort.SliceStable(ks, func(i, j int) bool { return comparePaths(ks[i].tokens, ks[j].tokens) < 0 })
	for i := range ks {
		ps[i] = ks[i].p
	}
}

func comparePaths(a, b []string) int {
	for i := 0; i < len(a) && i < len(b); i++ {
		if c := compareTokens(a[i], b[i]); c != 0 {
			return c
		}
	}
	return len(a) - len(b)
}

func compareTokens(a, b string) int {
	if a == b {
		return 0
	}
	na, errA := strconv.Atoi(a)
	nb, errB := strconv.Atoi(b)
	if errA == nil && errB == nil {
		return na - nb
	}
	oa, okA := fieldOrder[a]
	ob, okB := fieldOrder[b]
	switch {
	case okA && okB:
		return oa - ob
	case okA:
		return -1
	case okB:
		return 1
	case a < b:
		return -1
	}
	return 1
}
