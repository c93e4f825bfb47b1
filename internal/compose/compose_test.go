package compose

import (
	"reflect"
	"testing"

	"gongwen/internal/report"
	"gongwen/internal/spec"
)

func TestCompose(t *testing.T) {
	r := &report.Report{
		Title:     "某局\n2024年报告",
		Issuer:    "某局",
		Year:      2024,
		Date:      &report.Date{Year: 2025, Month: 1, Day: 5},
		Addressee: "市政府：",
		Preamble:  []report.Block{{Path: "/preamble/0", Paragraph: "前言。"}},
		Sections: []report.Section{{
			Path: "/sections/0", Level: 1, Number: "一、", Heading: "总体情况",
			Body: []report.Block{{Path: "/sections/0/body/0", Paragraph: "正文。"}},
			Sections: []report.Section{
				{Path: "/sections/0/sections/0", Level: 2, Number: "（一）", Heading: "加强领导。", RunIn: true,
					Body: []report.Block{{Path: "/sections/0/sections/0/body/0", Paragraph: "具体措施。"},
						{Path: "/sections/0/sections/0/body/1", Paragraph: "第二段。"}}},
				{Path: "/sections/0/sections/1", Level: 2, Number: "（二）", Heading: "数据", RunIn: false,
					Body: []report.Block{{Path: "/sections/0/sections/1/body/0",
						Table: &report.Table{Caption: "表1", Header: []string{"项", "数"}, Rows: [][]string{{"甲", "1"}}}}}},
			},
		}},
		Attachments: []string{"统计表", "清单"},
	}
	d := Compose(r)
	if d.Title != "某局2024年报告" || d.Author != "某局" || d.Date != "2025-01-05" || d.Year != 2024 {
		t.Errorf("metadata = %q %q %q %d", d.Title, d.Author, d.Date, d.Year)
	}
	kinds := []Kind{KindTitle, KindAddressee, KindParagraph, KindHeading, KindParagraph, KindParagraph,
		KindParagraph, KindHeading, KindTable, KindAttachments, KindSignature}
	var got []Kind
	for _, b := range d.Blocks {
		got = append(got, b.Kind)
	}
	if !reflect.DeepEqual(got, kinds) {
		t.Fatalf("kinds = %v, want %v", got, kinds)
	}
	runIn := d.Blocks[5]
	if runIn.Level != 2 || runIn.Bookmark != "（一）加强领导。" || len(runIn.Runs) != 2 ||
		runIn.Runs[0].Role != spec.RoleKai || runIn.Runs[1].Role != spec.RoleFangsong ||
		runIn.Runs[0].Path != "/sections/0/sections/0/heading" || runIn.Runs[1].Path != "/sections/0/sections/0/body/0" {
		t.Errorf("run-in paragraph = %+v", runIn)
	}
	if h := d.Blocks[3]; h.Level != 1 || h.Runs[0].Role != spec.RoleHei || h.Bookmark != "一、总体情况" {
		t.Errorf("level-1 heading = %+v", h)
	}
	if a := d.Blocks[9]; !reflect.DeepEqual(a.Items, []string{"1.统计表", "2.清单"}) {
		t.Errorf("attachments = %v", a.Items)
	}
	wantText := []string{"某局\n2024年报告", "市政府：", "前言。", "一、总体情况", "正文。", "（一）加强领导。具体措施。",
		"第二段。", "（二）数据", "表1", "项", "数", "甲", "1", "附件：1.统计表", "2.清单", "某局", "2025年1月5日"}
	if got := d.Text(); !reflect.DeepEqual(got, wantText) {
		t.Errorf("Text() =\n%q\nwant\n%q", got, wantText)
	}
}

func TestComposeSingleAttachmentHasNoNumber(t *testing.T) {
	d := Compose(&report.Report{Title: "t", Issuer: "i", Year: 2024,
		Sections:    []report.Section{{Level: 1, Heading: "h"}},
		Attachments: []string{"唯一附件"}})
	last := d.Blocks[len(d.Blocks)-1]
	if last.Kind != KindAttachments || !reflect.DeepEqual(last.Items, []string{"唯一附件"}) {
		t.Errorf("last block = %+v", last)
	}
}
