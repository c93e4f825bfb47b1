package compose

import (
	"image"
	"strconv"
	"strings"

	"gongwen/internal/report"
	"gongwen/internal/spec"
)

// Header is the 版头 of the document form (GB/T 9704 7.2).
type Header struct {
	CopyNumber, Secrecy, Urgency string // "" when absent
	Organ                        string // 发文机关标志, printed red
	Number                       string // 发文字号
	// Signers are the 签发人 names; non-empty makes the document an upward report,
	// with the 发文字号 left and the 签发人 block right on one line.
	Signers []string
}

// SignerLines are the names of the 签发人 block, two a line (7.2.4), joined by an
// ideographic space; the first line follows spec.SignerLabel.
func (h *Header) SignerLines() []string {
	var out []string
	for i := 0; i < len(h.Signers); i += spec.SignersPerLine {
		out = append(out, strings.Join(h.Signers[i:min(i+spec.SignersPerLine, len(h.Signers))], spec.SignerSeparator))
	}
	return out
}

// SignerText is the 签发人 block as one Text() entry: "签发人：张三　李四\n王五".
func (h *Header) SignerText() string {
	return spec.SignerLabel + strings.Join(h.SignerLines(), "\n")
}

// Seal is the image sealing the signature (7.3.5.1).
type Seal struct {
	PNG        []byte
	DiameterMM float64
	Pixels     *image.NRGBA // PNG decoded (report.Seal's), or nil
}

// Record is the 版记 (7.4) on the last page.
type Record struct {
	CC        string // "抄送：市委办公室，市人大常委会办公室。"; "" when absent
	Printer   string // 印发机关; "" when absent
	PrintDate string // "2025年1月16日印发"; "" when absent
}

// Lines is the number of elements (抄送, the 印发 line) the 版记 has.
func (r *Record) Lines() int {
	n := 0
	if r.CC != "" {
		n++
	}
	if r.Printer != "" || r.PrintDate != "" {
		n++
	}
	return n
}

// header is the 版头 block, or false when the report is in the published form.
func header(r *report.Report) (Block, bool) {
	d := r.Document
	if d == nil {
		return Block{}, false
	}
	return Block{Kind: KindHeader, Path: "/document", Header: &Header{
		CopyNumber: d.CopyNumber, Secrecy: d.Secrecy, Urgency: d.Urgency,
		Organ: d.Organ, Number: d.Number, Signers: d.Signers,
	}}, true
}

// appendDocumentEnd appends what follows the signature: the 附注, the attachment
// pages and the 版记.
func appendDocumentEnd(out []Block, r *report.Report) []Block {
	if r.Note != "" {
		out = append(out, Block{Kind: KindNote, Path: "/note",
			Runs: []Run{{Text: spec.NoteOpen + r.Note + spec.NoteClose, Role: spec.RoleFangsong, Path: "/note"}}})
	}
	for _, a := range r.AttachmentPages {
		label := spec.AttachmentPageLabel
		if len(r.Attachments) > 1 {
			label += strconv.Itoa(a.Number)
		}
		out = append(out, Block{Kind: KindAttachmentPage, Path: a.Path, Label: label,
			Runs: []Run{{Text: a.Title, Role: spec.RoleTitle, Path: a.Path + "/title"}}})
		out = appendBody(out, a.Body)
	}
	if d := r.Document; d.HasRecord() {
		rec := &Record{Printer: d.Printer}
		if len(d.CC) > 0 {
			rec.CC = spec.CCLabel + strings.Join(d.CC, spec.CCSeparator) + spec.CCEnd
		}
		if d.PrintDate != nil {
			rec.PrintDate = d.PrintDate.String() + spec.PrintDateSuffix
		}
		out = append(out, Block{Kind: KindRecord, Path: "/document", Record: rec})
	}
	return out
}
