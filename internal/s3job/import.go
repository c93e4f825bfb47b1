package s3job

import (
	"context"
	"errors"
	"log/slog"
	"strings"

	"gongwen/internal/importer"
	"gongwen/internal/report"
)

// Inputs the job imports before rendering: a Word file or text, made into a report
// by internal/importer (the same import as `gongwen import` and POST /import). The
// imported report is written beside the outputs as <name>.report.json, so the user
// can correct it and upload it as <name>.json.
const (
	docxSuffix       = ".docx"
	textSuffix       = ".txt"
	importedSuffix   = ".report.json"
	maxLoggedChanges = 50 // warnings listed in the log line; the count is always there
)

// isInputKey tells whether key names something the job renders: a report (.json,
// but not a problem document), a DOCX or a text file.
func isInputKey(key string) bool {
	if strings.HasSuffix(key, errorSuffix) {
		return false
	}
	return strings.HasSuffix(key, inputSuffix) || isImportKey(key)
}

func isImportKey(key string) bool {
	return strings.HasSuffix(key, docxSuffix) || strings.HasSuffix(key, textSuffix)
}

// trimInputExt removes the input's extension: outputs are named after the input
// without it (a.docx → a.pdf, a.docx, a.report.json).
func trimInputExt(rel string) string {
	for _, ext := range []string{inputSuffix, docxSuffix, textSuffix} {
		if strings.HasSuffix(rel, ext) {
			return strings.TrimSuffix(rel, ext)
		}
	}
	return rel
}

// importInput turns an uploaded DOCX or text into report JSON and stores it as
// <name>.report.json. A file the importer cannot make a report of gets the problem
// document like an invalid report (outcome Invalid); an S3 failure is Failed.
func (j *Job) importInput(ctx context.Context, src source, data []byte, st *recordStats) ([]byte, Outcome, error) {
	var res *importer.Result
	var err error
	if strings.HasSuffix(src.key, docxSuffix) {
		res, err = importer.DOCX(data, importer.Options{})
	} else {
		res, err = importer.Text(data, importer.Options{})
	}
	if err != nil {
		var inv *report.InvalidError
		if errors.As(err, &inv) {
			o, err := j.invalid(ctx, src, inv, st)
			if err == nil {
				err = j.delete(ctx, src, j.cfg.OutputKey(src.key, importedSuffix))
			}
			if err != nil {
				return nil, Failed, err
			}
			return nil, o, nil
		}
		return nil, Failed, err
	}
	changes := make([]string, 0, min(len(res.Warnings), maxLoggedChanges))
	for i, w := range res.Warnings {
		if i == maxLoggedChanges {
			break
		}
		changes = append(changes, w.String())
	}
	j.logger.InfoContext(ctx, "imported", slog.String("request_id", requestID(ctx)), slog.String("key", src.key),
		slog.String("source", res.Summary.Source), slog.Int("changes", len(res.Warnings)), slog.Any("change_list", changes))
	if err := j.put(ctx, src, j.cfg.OutputKey(src.key, importedSuffix), "application/json; charset=utf-8", res.JSON); err != nil {
		return nil, Failed, err
	}
	return res.JSON, "", nil
}
