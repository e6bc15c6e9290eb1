package sshd

import (
	"fmt"
	"strings"
)

// The languages a session can be given.
const (
	LangEN   = "en"
	LangZhCN = "zh-CN"
)

// sessionLang is the language a session's operator reads: the client's
// locale for messages, when it names a language the desk speaks, else def
// (Config.Lang). The locale is read as POSIX programs read it, LC_ALL over
// LC_MESSAGES over LANG; OpenSSH clients send them with `SendEnv LANG LC_*`
// (in the ssh_config Debian, Ubuntu and macOS ship) or `-o SetEnv=LANG=…`.
// A locale of C, POSIX or a language the desk does not speak says nothing
// of what the operator reads, so the server's choice stands.
func sessionLang(env []string, def string) string {
	locale := ""
	for _, k := range []string{"LC_ALL", "LC_MESSAGES", "LANG"} {
		if v := getenv(env, k); v != "" {
			locale = v
			break
		}
	}
	lang, _, _ := strings.Cut(locale, ".") // zh_CN.UTF-8
	lang, _, _ = strings.Cut(lang, "@")
	lang = strings.ToLower(strings.ReplaceAll(lang, "_", "-"))
	switch {
	case lang == "zh" || strings.HasPrefix(lang, "zh-"):
		// The desk has Simplified Chinese only; a Hong Kong or Taiwan
		// locale still reads it better than English.
		return LangZhCN
	case lang == "en" || strings.HasPrefix(lang, "en-"):
		return LangEN
	}
	if def == "" {
		return LangEN
	}
	return def
}

// LocaleLang is the language the locale in env (KEY=value entries, as
// os.Environ gives them) asks for, by the rule sessions follow: LC_ALL over
// LC_MESSAGES over LANG, any zh_* is LangZhCN, any en_* LangEN, and
// anything else (C, POSIX, another language, none) def. cmd/v2gdesk words
// its usage and start-up errors in it, so a shell's LANG=zh_CN.UTF-8 reads
// the same language on the desk's command line as over SSH.
func LocaleLang(env []string, def string) string {
	return sessionLang(env, def)
}

// getenv is the last value of k in env (a later entry wins, as in a shell).
func getenv(env []string, k string) string {
	v := ""
	for _, kv := range env {
		if name, val, ok := strings.Cut(kv, "="); ok && name == k {
			v = val
		}
	}
	return v
}

// Sentence is something the transport tells an operator, worded in the
// session's language (LangEN or LangZhCN): one notice broadcast to every
// session reads in each one's language.
type Sentence func(lang string) string

// String is the sentence in English, as the log and the journal keep it.
func (s Sentence) String() string {
	if s == nil {
		return ""
	}
	return s(LangEN)
}

// say words the transport's own format in lang, then fills in args.
func say(lang, format string, args ...any) string {
	if lang == LangZhCN {
		if zh, ok := zhCN[format]; ok {
			format = zh
		}
	}
	return fmt.Sprintf(format, args...)
}

// zhCN is the Simplified Chinese of what the transport itself tells the
// operator; TestWordsComplete keeps it whole.
var zhCN = map[string]string{
	"%s (%s)":                             "%s (%s)",
	"%s joined":                           "%s 已加入",
	"%s left":                             "%s 已离开",
	"%s (%d sessions)":                    "%s (%d 个会话)",
	"%s joined (%d sessions)":             "%s 已加入 (%d 个会话)",
	"%s joined again (%d sessions)":       "%s 再次加入 (%d 个会话)",
	"%s closed a session (%d open)":       "%s 关闭了一个会话 (仍有 %d 个)",
	"%s · online: %s":                     "%s · 在线: %s",
	"viewer":                              "观察员",
	"dispatcher":                          "调度员",
	"admin":                               "管理员",
	"the desk is shutting down":           "控制台正在关闭",
	"disconnecting in %s: %s":             "%s后断开连接: %s",
	"disconnected: %s":                    "已断开: %s",
	"%s; try again later":                 "%s; 请稍后再试",
	"disconnected after %s without input": "%s无输入, 已断开连接",
	"No input for a while: this session closes in %s. Press any key to stay.":        "一段时间没有输入: 本会话将在 %s后关闭。按任意键保持连接。",
	"Still here: the session stays open.":                                            "仍在使用: 会话保持打开。",
	"the desk hit an internal error in this session and closed it; please reconnect": "控制台在本会话中发生内部错误并已关闭会话; 请重新连接",
	"acknowledge or shelve alarms":                                                   "确认或搁置告警",
	"propose, approve, send or extend dispatches":                                    "提出、批准、下发或延长调度",
	"pause, speed up or seek the shared clock":                                       "暂停、加速或跳转共享时钟",
	"change limits":                         "修改限额",
	"change adapter settings":               "修改适配器设置",
	"do %q":                                 "执行 %q",
	"%s may not %s: nobody may":             "%s 无权%s: 任何人都不能",
	"%s may not %s: that needs the %s role": "%s 无权%s: 需要%s角色",
	"%s: audit journal unavailable, nothing was done: %v": "%s: 审计日志不可用, 未执行任何操作: %v",
	loginNotJournalled: "审计日志不可用 (%v): 您的登录未记入日志; 在日志恢复写入之前, 需要记录的操作都会被拒绝",
	"%s is already being dispatched by %s since %s": "%s 正由 %s 调度, 自 %s 起",
	"the whole system": "全系统",
	"event %s":         "事件 %s",
	"v2gdesk: too many failed logins from %s; keys not in the users file are refused for %s": "v2gdesk: 来自 %s 的登录失败次数过多; %s内只接受用户文件中的密钥",
	"this key is not allowed here":                                                                               "此密钥不允许登录",
	"the desk needs a terminal: connect with `ssh -t` and without a command":                                     "控制台需要终端: 请用 `ssh -t` 连接, 不要附带命令",
	"the desk runs no commands (got %q): connect without one":                                                    "控制台不执行命令 (收到 %q): 请不带命令连接",
	"the desk is full: %d of %d sessions in use; try again later":                                                "控制台已满: 已用 %d / %d 个会话; 请稍后再试",
	"the desk is full: %d of %d session in use; try again later":                                                 "控制台已满: 已用 %d / %d 个会话; 请稍后再试",
	"the desk is full for viewers: %d of %d sessions in use, the last is kept for a dispatcher; try again later": "控制台对观察员已满: 已用 %d / %d 个会话, 最后一个留给调度员; 请稍后再试",
}
