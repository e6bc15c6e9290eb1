package tui

// translator maps the interface's English strings to the session's
// language. English strings are the keys, so a missing translation shows
// English rather than nothing; TestTranslationsComplete keeps zh-CN whole.
type translator struct {
	m map[string]string
}

func newTranslator(lang string) translator {
	if lang == "zh-CN" || lang == "zh" {
		return translator{m: zhCN}
	}
	return translator{}
}

// t translates s.
func (tr translator) t(s string) string {
	if v, ok := tr.m[s]; ok {
		return v
	}
	return s
}

// zhCN is the Simplified Chinese interface.
var zhCN = map[string]string{}
