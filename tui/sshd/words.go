package sshd

import (
	"strconv"
	"time"
)

// durationWords says d for an operator as the dashboard words its ages
// (tui's "59 s", "15 min", "2 h 5 min"; zh-CN 秒, 分钟, 小时): whole seconds
// under two minutes, at least 1 s, then whole minutes, then hours and
// minutes. A Duration's String read "closes in 1m0s" and "disconnected
// after 30m0s without input", and zh-CN kept the English "s".
func durationWords(lang string, d time.Duration) string {
	unit := func(en string) string {
		if lang != LangZhCN {
			return en
		}
		return map[string]string{"s": "秒", "min": "分钟", "h": "小时"}[en]
	}
	switch secs := max(int(d.Round(time.Second)/time.Second), 1); {
	case secs < 120:
		return strconv.Itoa(secs) + " " + unit("s")
	case secs < 2*3600:
		return strconv.Itoa(secs/60) + " " + unit("min")
	default:
		h := strconv.Itoa(secs/3600) + " " + unit("h")
		if m := secs % 3600 / 60; m > 0 {
			return h + " " + strconv.Itoa(m) + " " + unit("min")
		}
		return h
	}
}
