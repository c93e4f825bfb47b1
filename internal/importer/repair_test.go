package importer

import "testing"

func TestRestorePunctuation(t *testing.T) {
	for in, want := range map[string]string{
		"2024年,我局推进工作;成效明显!":                       "2024年，我局推进工作；成效明显！",
		"办理1,560件,增长10.88%":                        "办理1,560件，增长10.88%",
		"会议于10:30召开,比分3:2":                         "会议于10:30召开，比分3:2",
		"使用OA(Office Automation)系统":                "使用OA(Office Automation)系统",
		"见网站(https://www.example.gov.cn/a?x=1,2)。": "见网站（https://www.example.gov.cn/a?x=1,2）。",
		"网址:https://www.example.gov.cn,请查阅":        "网址：https://www.example.gov.cn，请查阅",
		"邮箱 fzb@example.gov.cn,电话":                 "邮箱 fzb@example.gov.cn，电话",
		"第(1)项(含附件)":                               "第（1）项（含附件）",
		"(一)健全机制":                                  "（一）健全机制",
		"Hello, world! Is it (really) so?":         "Hello, world! Is it (really) so?",
		"是否完成? 已完成.":                               "是否完成？已完成.",
		"如下: 一是加强学习":                               "如下：一是加强学习",
	} {
		if got, _ := restorePunctuation(in); got != want {
			t.Errorf("restorePunctuation(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestRemoveDigitSpaces(t *testing.T) {
	for in, want := range map[string]string{
		"2023 年": "2023年",
		"吴川市科工贸和信息化局 2023 年法治": "吴川市科工贸和信息化局2023年法治",
		"（2021-2025 年）":        "（2021-2025年）",
		"学习 12 次":              "学习12次",
		"Windows 11 系统":        "Windows 11系统",
		"共 3 人 ， 分别":           "共3人 ， 分别",
		"OA 系统":                "OA 系统",
	} {
		if got, _ := removeDigitSpaces(in); got != want {
			t.Errorf("removeDigitSpaces(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestChrome(t *testing.T) {
	for line, want := range map[string]bool{
		"当前位置：首页 > 政务公开 > 法治政府建设": true,
		"首页 > 新闻中心": true,
		"发布时间：2025-01-20 来源：示例局 浏览次数：1024": true,
		"字体大小：加大 缩小":                       true,
		"【字体：大 中 小】":                       true,
		"【打印本页】【关闭窗口】":                     true,
		"分享到： 微信 微博":                       true,
		"上一篇：关于印发……的通知":                    true,
		"打印":     true,
		"一、主要工作": false,
		"来源于群众的意见建议已全部办结。": false,
		"我局打印并分发宣传册3000份。": false,
	} {
		if got := isChrome(line); got != want {
			t.Errorf("isChrome(%q) = %v, want %v", line, got, want)
		}
	}
}
