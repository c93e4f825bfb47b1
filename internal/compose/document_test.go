package compose

import (
	"reflect"
	"testing"

	"gongwen/internal/report"
)

// The document form's blocks in reading order, and the text both files print for
// them: 版头 lines, the 签发人 block, the 附注 in parentheses, "附件2" and its title
// (the attachment's number in the 附件说明), the 版记's lines.
func TestComposeDocumentForm(t *testing.T) {
	r := &report.Report{
		Title: "报告", Issuer: "示例市司法局", Year: 2024, Date: &report.Date{Year: 2025, Month: 1, Day: 15},
		Sections: []report.Section{{Path: "/sections/0", Level: 1, Number: "一、", Heading: "情况"}},
		Document: &report.Document{CopyNumber: "000001", Secrecy: "秘密★1年", Urgency: "特急", Organ: "示例市司法局文件",
			Number: "示司〔2025〕3号", Signers: []string{"张三", "李四", "王五"}, CC: []string{"市委办公室", "市政府办公室"},
			Printer: "示例市司法局办公室", PrintDate: &report.Date{Year: 2025, Month: 1, Day: 16}},
		Note:        "此件公开发布",
		Seal:        &report.Seal{PNG: []byte("png"), DiameterMM: 42},
		Attachments: []string{"名称", "统计表"},
		AttachmentPages: []report.Attachment{{Path: "/attachments/1", Number: 2, Title: "统计表",
			Body: []report.Block{{Path: "/attachments/1/body/0", Paragraph: "附件正文。"}}}},
	}
	d := Compose(r)
	var kinds []Kind
	for _, b := range d.Blocks {
		kinds = append(kinds, b.Kind)
	}
	wantKinds := []Kind{KindHeader, KindTitle, KindHeading, KindAttachments, KindSignature, KindNote, KindAttachmentPage, KindParagraph, KindRecord}
	if !reflect.DeepEqual(kinds, wantKinds) {
		t.Errorf("kinds %v, want %v", kinds, wantKinds)
	}
	if s := d.Blocks[4].Seal; s == nil || s.DiameterMM != 42 {
		t.Errorf("signature seal %+v", s)
	}
	want := []string{"000001", "秘密★1年", "特急", "示例市司法局文件", "示司〔2025〕3号", "签发人：张三\u3000李四\n王五",
		"报告", "一、情况", "附件：1.名称", "2.统计表", "示例市司法局", "2025年1月15日", "（此件公开发布）",
		"附件2", "统计表", "附件正文。", "抄送：市委办公室，市政府办公室。", "示例市司法局办公室", "2025年1月16日印发"}
	if got := d.Text(); !reflect.DeepEqual(got, want) {
		t.Errorf("Text() =\n%q\nwant\n%q", got, want)
	}
	// One attachment in all: its label is 附件 alone.
	r.Attachments, r.AttachmentPages[0].Number = []string{"统计表"}, 1
	if l := Compose(r).Blocks[6].Label; l != "附件" {
		t.Errorf("label %q, want 附件", l)
	}
}
