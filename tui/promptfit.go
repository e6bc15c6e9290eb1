package tui

// promptFit is a prompt and the text typed after it, in at most w cells
// with the cursor that ends them: the footer's line is what the operator
// types into, and it must show where the typing goes. Text too long for
// the line shows its end, after "…"; a prompt of more than half the line
// is cut to that half first. At 80 columns a zh-CN shelve reason of some
// twenty characters (two cells each) ran past the edge, and the line was
// cut from its end: the cursor and every character typed after it were
// off the screen.
func promptFit(prompt string, text []rune, w int) (shownPrompt, shownText string) {
	prompt, typed := clean(prompt), clean(string(text))
	room := w - width(promptCursor)
	if width(prompt)+width(typed) <= room {
		return prompt, typed
	}
	if half := room / 2; width(prompt) > half {
		prompt = fit(prompt, half)
	}
	room -= width(prompt)
	rs := []rune(typed)
	for len(rs) > 0 && width("…"+string(rs)) > room {
		rs = rs[1:]
	}
	if len(rs) == 0 {
		return prompt, ""
	}
	return prompt, "…" + string(rs)
}

// promptCursor ends the text being typed.
const promptCursor = "▏"
