package typeset

import (
	"fmt"
	"math/rand/v2"
	"strings"

	"gongwen/internal/compose"
	"gongwen/internal/report"
)

// The Wuchuan report's opening, as a realistic source of text.
var wuchuanParas = []string{
	"2023年，在市委、市政府的正确领导下，我局坚持以习近平新时代中国特色社会主义思想为指导，全面深入贯彻落实《法治政府建设实施纲要（2021-2025年）》《法治政府建设与责任落实督察工作规定》《广东省法治政府建设实施纲要》等相关文件精神，进一步加强领导，夯实法治政府建设工作基础，提升全体干部职工的法治观念，提高依法行政能力，推动我局法治政府建设工作取得新成效。现将我局2023年度法治政府建设具体情况报告如下：",
	"2023年以来，我局法治政府建设工作在省委省政府、湛江市委市政府、吴川市委市政府和上级科工贸部门的坚强领导，以及市全面依法治市委员会的全力支持下，坚持以习近平新时代中国特色社会主义思想为指导，全面贯彻党的二十大精神，提高政治站位，深入学习贯彻习近平总书记广东系列重要讲话和重要指示批示精神，认真贯彻落实中央全面依法治国工作会议精神，树牢“四个意识”，坚定“四个自信”，做到“两个维护”，大力推进依法治理能力和水平提高。",
	"一是以习近平法治思想为指导，依托“三会一课”制度，通过党组会、党组理论学习中心组学习会和专题学习会等多种形式，将习近平法治思想作为重点内容，传达学习《习近平法治思想学习纲要》《论坚持全面依法治国》及科工贸领域相关法律法规知识。",
	"事项更新后，我局现有7个行政处罚事项、3个行政检查事项、1个行政强制事项、2个行政许可事项、2个公共服务事项和7个其他行政事项，共计22个行政服务事项。",
	"依据《广东省行政规范性文件管理规定》（粤府令第277号）等相关规定，对我局制定或修订的涉及经营主体经济活动的规范性文件和其他政策措施进行合法性审核，听取有关机关单位的意见，向社会公开征求意见，经过有关会议论证和风险评估，按要求报上级单位审核（查），做到过程全记录、材料归档和严格管理。",
	"全年办结率达到10.88%，较上年提高2.5个百分点；相关信息已于2024-01-15在门户网站https://www.wuchuan.gov.cn/kgmj/gkmlpt/content/2/2851/post_2851234.html公开……其中——尤其是——涉企事项占比35％。",
	"局党组书记、局长王华炎同志在党组会议、机关全体同志会议和各种工作会议上，把学习贯彻落实党的二十大精神和习近平总书记在广东考察重要讲话精神以及系列重要指示批示精神作为第一议题。",
}

var wuchuanHeadings = []string{
	"深入学习贯彻习近平总书记重要讲话、重要指示精神；深入贯彻落实党的二十大关于法治建设重大部署的情况",
	"深入学习宣传贯彻习近平法治思想的情况",
	"2023年度党政主要负责人履行推进法治建设第一责任人职责、加强法治政府建设的有关情况",
	"2023年度推进法治政府建设的主要举措和成效",
	"2023年度推进法治政府建设存在的不足和原因",
}

var subHeadings = []string{"健全清单化履职机制。", "加强行政规范性文件制定监督管理。", "严格规范行政执法行为。", "全面主动落实政务公开。"}

// genReport builds a realistic report of about scale*5,000 characters: level-1
// sections with paragraphs, run-in level-2 sections, a table now and then,
// attachments and a signature.
func genReport(scale int, seed uint64) *report.Report {
	rng := rand.New(rand.NewPCG(seed, 7))
	r := &report.Report{
		Title:       "吴川市科工贸和信息化局2023年法治政府建设年度报告",
		Issuer:      "吴川市科工贸和信息化局",
		Year:        2023,
		Date:        &report.Date{Year: 2024, Month: 1, Day: 15},
		Addressee:   "市委依法治市办：",
		Attachments: []string{"2023年度行政执法数据统计表", "吴川市科工贸和信息化局法治政府建设工作领导小组名单及职责分工"},
	}
	r.Preamble = []report.Block{{Path: "/preamble/0", Paragraph: wuchuanParas[0]}}
	chars := 0
	nums := []string{"一、", "二、", "三、", "四、", "五、", "六、", "七、", "八、", "九、", "十、"}
	for s := 0; chars < scale*5000; s++ {
		path := fmt.Sprintf("/sections/%d", s)
		sec := report.Section{Path: path, Level: 1, Number: nums[s%len(nums)], Heading: wuchuanHeadings[s%len(wuchuanHeadings)]}
		for b := 0; b < 2; b++ {
			p := wuchuanParas[rng.IntN(len(wuchuanParas))]
			chars += len([]rune(p))
			sec.Body = append(sec.Body, report.Block{Path: fmt.Sprintf("%s/body/%d", path, b), Paragraph: p})
		}
		if s%3 == 2 {
			sec.Body = append(sec.Body, report.Block{Path: path + "/body/2", Table: &report.Table{
				Caption: "表1 行政执法事项统计",
				Header:  []string{"事项类别", "数量（项）", "占比", "备注"},
				Rows: [][]string{
					{"行政处罚", "7", "31.82%", "含简易程序"},
					{"行政检查", "3", "13.64%", ""},
					{"行政许可", "2", "9.09%", "对外贸易经营者备案登记已取消"},
					{"其他行政事项", "7", "31.82%", "详见附件1"},
				}}})
			chars += 80
		}
		for k := 0; k < 2; k++ {
			sp := fmt.Sprintf("%s/sections/%d", path, k)
			p := wuchuanParas[rng.IntN(len(wuchuanParas))]
			chars += len([]rune(p))
			sec.Sections = append(sec.Sections, report.Section{Path: sp, Level: 2, Number: "（" + []string{"一", "二"}[k] + "）",
				Heading: subHeadings[(s+k)%len(subHeadings)], RunIn: true,
				Body: []report.Block{{Path: sp + "/body/0", Paragraph: p}}})
		}
		r.Sections = append(r.Sections, sec)
	}
	return r
}

func genDoc(scale int, seed uint64) *compose.Document { return compose.Compose(genReport(scale, seed)) }

// randomText mixes CJK, punctuation runs, Latin, digits and URLs.
func randomText(rng *rand.Rand, n int) string {
	pieces := []string{
		"法", "治", "政", "府", "建", "设", "。", "，", "、", "；", "：", "？", "！", "）", "》", "”", "’",
		"（", "《", "“", "‘", "——", "……", "。”", "）。", "》《", "〈", "〉", "「", "」",
		"2023", "10.88%", "2024-01-15", "2021-2025", "3.14", "Lambda", "GB/T 9704-2012", " ", "a", "WWW",
		"https://example.gov.cn/a/b/c?d=1&e=2_f-g.html", "https://www.wuchuan.gov.cn/kgmj/gkmlpt/content/2/2851/post_2851234.html/aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
		"\n", "％", "，“", "”，", "12345678901234567890",
	}
	var b strings.Builder
	for b.Len() == 0 || len([]rune(b.String())) < n {
		if rng.IntN(3) == 0 {
			b.WriteString(cjk(1 + rng.IntN(8)))
		} else {
			b.WriteString(pieces[rng.IntN(len(pieces))])
		}
	}
	s := strings.TrimSpace(b.String())
	if s == "" {
		s = "空"
	}
	return s
}
