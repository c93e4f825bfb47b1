package httpapi

import (
	"mime"
	"strings"
	"testing"
)

func TestFileStem(t *testing.T) {
	tests := []struct{ title, want string }{
		{"吴川市科工贸和信息化局2023年法治政府建设年度报告", "吴川市科工贸和信息化局2023年法治政府建设年度报告"},
		{"吴川市科工贸和信息化局\n2023年法治政府建设年度报告", "吴川市科工贸和信息化局2023年法治政府建设年度报告"},
		{`a/b\c:d*e?f"g<h>i|j`, "abcdefghij"},
		{"  Annual   report\t2023  ", "Annual report 2023"},
		{"..hidden.", "hidden"},
		{"tab\x07bell\u200bzero-width", "tabbellzero-width"},
		{"///", "report"},
		{"", "report"},
		{strings.Repeat("长", 100), strings.Repeat("长", maxStemRunes)},
	}
	for _, tc := range tests {
		if got := FileStem(tc.title); got != tc.want {
			t.Errorf("FileStem(%q) = %q, want %q", tc.title, got, tc.want)
		}
	}
}

func TestContentDisposition(t *testing.T) {
	tests := []struct{ stem, ext, want, decoded string }{
		{"Annual report 2023", "pdf", `attachment; filename="Annual report 2023.pdf"; filename*=UTF-8''Annual%20report%202023.pdf`, "Annual report 2023.pdf"},
		{"法治报告", "docx", `attachment; filename="report.docx"; filename*=UTF-8''%E6%B3%95%E6%B2%BB%E6%8A%A5%E5%91%8A.docx`, "法治报告.docx"},
		{"100% done; ok", "zip", `attachment; filename="report.zip"; filename*=UTF-8''100%25%20done%3B%20ok.zip`, "100% done; ok.zip"},
		{"（一）年度", "pdf", `attachment; filename="report.pdf"; filename*=UTF-8''%EF%BC%88%E4%B8%80%EF%BC%89%E5%B9%B4%E5%BA%A6.pdf`, "（一）年度.pdf"},
	}
	for _, tc := range tests {
		got := ContentDisposition(tc.stem, tc.ext)
		if got != tc.want {
			t.Errorf("ContentDisposition(%q)\n got %s\nwant %s", tc.stem, got, tc.want)
		}
		// A standard parser reads the UTF-8 name back.
		disp, params, err := mime.ParseMediaType(got)
		if err != nil || disp != "attachment" || params["filename"] != tc.decoded {
			t.Errorf("parsed %q %v (err %v), want %q", disp, params, err, tc.decoded)
		}
	}
}

func TestFromAccept(t *testing.T) {
	tests := []struct {
		accept string
		want   choice
	}{
		{"", choosePDF},
		{"*/*", choosePDF},
		{"application/pdf", choosePDF},
		{"application/zip", chooseZIP},
		{"application/vnd.openxmlformats-officedocument.wordprocessingml.document", chooseDOCX},
		{"application/pdf;q=0.2, application/vnd.openxmlformats-officedocument.wordprocessingml.document;q=0.8", chooseDOCX},
		{"application/zip;q=0, application/pdf;q=0", choosePDF},
		{"text/html, application/zip", chooseZIP},
		{"application/ofd", chooseOFD},
		{"application/pdf;q=0.5, application/ofd;q=0.6", chooseOFD},
		{"application/zip, application/pdf", chooseZIP}, // tie: first wins
		{"garbage;;, application/zip", chooseZIP},
	}
	for _, tc := range tests {
		if got := fromAccept(tc.accept); got != tc.want {
			t.Errorf("fromAccept(%q) = %s, want %s", tc.accept, got, tc.want)
		}
	}
}
