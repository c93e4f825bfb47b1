package importer

import (
	"errors"
	"fmt"
	"testing"
	"time"

	"gongwen/internal/report"
)

// FuzzText: any text either imports to a report whose JSON parses without a warning,
// or fails with an invalid-input error; never a panic or another error.
func FuzzText(f *testing.F) {
	f.Add(readFile(f, "..", "report", "testdata", "wuchuan-2023-seed.txt"))
	f.Add(readFile(f, "testdata", "corpus", "11-document-form.txt")) // 版头, 附注, attachment page, 版记
	f.Add([]byte("000001\n特急\n某文件\n某〔2025〕3号\n签发人：\n标题\n一、a\n某局\n2025年1月1日\n附件1\n\n抄送：。\n2025年1月2日印发"))
	for _, s := range []string{"一、\n（一）。\n1.", "附件：\n1.\n2025年13月1日", "(((,,,:::)))", "标题\n市委：\n一、a\n（三）b。c\n2024年1月1日\n（此件公开）", "a\tb\nc\td\te"} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		done := make(chan struct{})
		defer close(done)
		go func() {
			select {
			case <-done:
			case <-time.After(5 * time.Second):
				panic(fmt.Sprintf("Text took over 5 s on %q", data))
			}
		}()
		res, err := Text(data, Options{})
		checkResult(t, res, err)
	})
}

// FuzzDOCX: a damaged DOCX is an invalid input, never a panic.
func FuzzDOCX(f *testing.F) {
	_, docx := renderDOCX(f, readFile(f, "..", "..", "examples", "all-fields.json"))
	f.Add(docx)
	_, docForm := renderDOCX(f, readFile(f, "..", "..", "examples", "all-fields-document.json"))
	f.Add(docForm) // 版头, seal, 附注, attachment page, 版记
	f.Add(handMade(f, p("1", "主要工作")+p("", "正文。")))
	f.Fuzz(func(t *testing.T, data []byte) {
		res, err := DOCX(data, Options{})
		checkResult(t, res, err)
	})
}

func checkResult(t *testing.T, res *Result, err error) {
	t.Helper()
	if err != nil {
		var inv *report.InvalidError
		if !errors.As(err, &inv) {
			t.Fatalf("error is not an invalid input: %v", err)
		}
		return
	}
	if _, w, err := report.Parse(res.JSON); err != nil || len(w) != 0 {
		t.Fatalf("imported JSON: %v, warnings %v", err, w)
	}
}
