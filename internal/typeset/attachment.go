package typeset

import (
	"gongwen/internal/compose"
	"gongwen/internal/spec"
)

// attachmentPage starts an attachment printed on pages of its own (GB/T 9704
// 7.3.7): a new page, "附件1" in 黑体 flush left on line 1, the title centred on
// line 3 in the title font, one blank line; its blocks follow as body blocks. Page
// numbers run on.
func (b *builder) attachmentPage(bl *compose.Block) {
	runs := []compose.Run{{Text: bl.Label, Role: spec.RoleHei, Path: bl.Path}}
	its := b.text(runs, 0, 0, false)
	its[0].newPage, its[0].kind = true, AttachmentPage
	for _, it := range its {
		it.keep = true
	}
	for range spec.AttachmentTitleSlot - len(its) {
		b.blank(true, false)
	}
	para := b.para
	b.para++
	b.titleLines(b.s.title(bl.Runs[0].Text, b.doc.Author, spec.RoleTitle, bl.Runs[0].Path, para))
	for range spec.AttachmentTitleBlankLines {
		b.blank(true, false)
	}
}
