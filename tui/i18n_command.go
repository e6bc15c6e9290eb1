package tui

import "fmt"

// Say words one of the v2gdesk command's own lines for a person (what it
// prints on stderr as the dashboard starts or after it ends) in lang, the
// desk's --lang, then fills in args. A format without a translation is
// printed as given: a line in English rather than none. Errors meant for a
// log are not worded through it; they stay English, as the log does.
func Say(lang, format string, args ...any) string {
	if lang == "zh-CN" {
		if zh, ok := zhCNCommand[format]; ok {
			format = zh
		}
	}
	return fmt.Sprintf(format, args...)
}

// zhCNCommand is the Simplified Chinese of the lines cmd/v2gdesk prints
// around a dashboard run; TestSayCommandLines keeps their verbs matched.
var zhCNCommand = map[string]string{
	"v2gdesk: operator actions and setpoints sent are in the audit journal %s (read it with `v2gdesk audit --journal %s`)":                      "v2gdesk: 调度员操作和已下发的设定值记录在审计日志 %s 中（用 `v2gdesk audit --journal %s` 查看）",
	"v2gdesk: quitting cancelled the DR events in force: %s (their chargers released where the adapter can; the rest expire at their validity)": "v2gdesk: 退出时已取消生效中的需求响应事件: %s (适配器能释放的充电桩已释放; 其余设定值到期失效)",
	"v2gdesk: warnings were logged to %s":              "v2gdesk: 警告已记录到 %s",
	"v2gdesk: no log file (%v); warnings are not kept": "v2gdesk: 无法创建日志文件（%v）；警告不会保留",
	"v2gdesk: the dashboard needs a terminal; for scripts use `v2gdesk status --feed URL` or `v2gdesk replay FILE --headless`": "v2gdesk: 控制台需要终端；脚本请用 `v2gdesk status --feed URL` 或 `v2gdesk replay FILE --headless`",
	"%s: the dashboard ended before the file was read to its end (%d frames read, to %s); the rest was not checked":            "%s: 控制台在文件读完之前关闭（已读 %d 帧，至 %s）；其余部分未检查",
	"%s: the dashboard ended before the file was read to its end (%d frame read, to %s); the rest was not checked":             "%s: 控制台在文件读完之前关闭（已读 %d 帧，至 %s）；其余部分未检查",
	"%s: the file stopped early at line %d (byte %d of the decompressed stream): %v; the %d frames before it were played":      "%s: 文件在第 %d 行（解压后数据流的第 %d 字节）提前结束：%v；之前的 %d 帧已播放",
	"%s: the file stopped early at line %d (byte %d of the decompressed stream): %v; the %d frame before it was played":        "%s: 文件在第 %d 行（解压后数据流的第 %d 字节）提前结束：%v；之前的 %d 帧已播放",
}
