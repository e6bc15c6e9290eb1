package replay

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/v2gdesk/v2gdesk/feeds"
)

// maxSkipNotes bounds how many skipped lines a Report describes one by one.
const maxSkipNotes = 10

// Report says what a Reader read and where and why it stopped early, if it did.
type Report struct {
	Lines   int // lines read, the header included
	Frames  int // entries returned, the header's copy of a lost hello included (HelloFromHeader)
	Skipped int // complete lines that were not valid entries (each skipped)
	// SkipNotes describes the first skipped lines ("line 7: ...").
	SkipNotes []string
	// Backwards counts lines whose t is before the previous frame's (Read
	// plays them at that time), and Gaps silences longer than LongGap
	// between one frame and the next; TimeNotes describes the first of
	// either ("line 9: ...").
	Backwards int
	Gaps      int
	TimeNotes []string
	// Stopped is true when the file ended in a torn line or the compressed
	// stream broke; everything before was kept.
	Stopped bool
	// StopLine is the number (1-based) of the line that could not be
	// completed, and StopOffset its byte offset in the decompressed stream.
	StopLine   int
	StopOffset int64
	// Cause is why reading stopped: io.ErrUnexpectedEOF for a torn line or a
	// truncated gzip member, or the decompressor's error for corrupted data.
	Cause error
	// BadMembers counts the gzip members that failed their check (their
	// CRC-32 or length, or the data would not inflate): none of their lines
	// is returned, bar those released unchecked past MaxHeldBytes.
	// MemberSkipped counts their lines, which Skipped includes, and
	// MemberNotes describes the first members ("lines 5-7: ...").
	BadMembers    int
	MemberSkipped int
	MemberNotes   []string
	// HeaderNote, when not empty, says that the member holding the header
	// alone failed its check ("line 1: ..."): it is among BadMembers, but
	// no line was skipped, as the header had been read and used before.
	HeaderNote string
	// Unchecked counts lines returned before their member's check, because
	// the member held more than MaxHeldBytes of lines.
	Unchecked int
	// LostHello is the line of the first hello (the feed's topology) that
	// went with a damaged gzip member, 0 when none did, and LostHelloNote
	// says so ("line 2: the feed's topology ... lines 2-14 ..."): until a
	// later hello, a player's measurements have no topology and a fleet
	// rejects them all (no_topology), which the skipped lines alone do not
	// explain. A hello damaged past parsing is not recognised.
	LostHello     int
	LostHelloNote string
	// HelloFromHeader is the line of the feed's first hello when it went
	// with a damaged gzip member and the header's copy of it (Header.Topology)
	// was played in its place, 0 otherwise, and HelloFromHeaderNote says so
	// ("line 2: topology taken from the file's header ..."). Only the first
	// hello can be: the header holds no copy of a later one, which is named
	// in LostHello. HeaderTopologyNote, when not empty, says why the header's
	// copy was not used when it was needed (not a valid protocol v1 hello).
	HelloFromHeader     int
	HelloFromHeaderNote string
	HeaderTopologyNote  string
}

// String summarises the report in one line.
func (r Report) String() string {
	s := fmt.Sprintf("%d frames, %d skipped", r.Frames, r.Skipped)
	members := r.BadMembers
	if r.HeaderNote != "" {
		members-- // told apart: it held no line that was skipped
		s += " (the header's gzip member failed its check)"
	}
	if members == 1 {
		s += fmt.Sprintf(" (1 gzip member failed its check: its %d lines)", r.MemberSkipped)
	} else if members > 1 {
		s += fmt.Sprintf(" (%d gzip members failed their check: their %d lines)", members, r.MemberSkipped)
	}
	if r.HelloFromHeader > 0 {
		s += fmt.Sprintf(" (the hello at line %d among them: topology taken from the file's header)", r.HelloFromHeader)
	}
	if r.LostHello > 0 {
		s += fmt.Sprintf(" (the hello at line %d among them: no topology until the next)", r.LostHello)
	}
	if r.Unchecked > 0 {
		s += fmt.Sprintf(", %d played unchecked", r.Unchecked)
	}
	if r.Backwards > 0 {
		s += fmt.Sprintf(", %d back in time", r.Backwards)
	}
	if r.Gaps > 0 {
		s += fmt.Sprintf(", %d gaps over %v", r.Gaps, LongGap)
	}
	if r.Stopped {
		s += fmt.Sprintf("; stopped at line %d (byte %d of the decompressed stream): %v", r.StopLine, r.StopOffset, r.Cause)
	}
	return s
}

// MaxHeldBytes bounds the lines a Reader holds while their gzip member has
// not been checked yet. The recorder completes a member every second
// (FlushInterval), far below it; a member past it (a file written as one
// member by another tool) has its lines released unchecked, as Go's gzip
// would, and counted in Report.Unchecked: if the member then fails, only the
// lines still held are skipped.
const MaxHeldBytes = 64 << 20

// Reader reads a .v2grec recording entry by entry. It never panics on bad
// input: a bad header is an error from NewReader; a bad line is skipped and
// counted; a torn or corrupted tail ends the entries and is described in the
// Report.
//
// Go's gzip checks a member's CRC-32 only at the member's end, after handing
// out its bytes, so a damaged member can inflate into lines that parse with
// wrong figures. The Reader therefore holds each member's lines until the
// member's check has passed, and skips them all when it fails (see
// MaxHeldBytes for the bound). A member cut short by the end of the file (a
// recorder killed before it completed the member) cannot be checked; its
// complete lines are returned, since cutting a file changes no byte before
// the cut.
type Reader struct {
	src    *bufio.Reader // the compressed file
	zr     *gzip.Reader  // one member at a time, so each end is seen
	br     *bufio.Reader // the current member's decompressed bytes
	header Header
	offset int64 // decompressed offset of the next line
	acc    []byte
	report Report
	done   bool

	maxHold int // MaxHeldBytes; a field so that tests can lower it
	// held are the lines read from the current member, in order: held[:ready]
	// passed their check (or were released unchecked) and are returned from
	// held[next], the rest wait for the member's end.
	held      []heldLine
	ready     int
	next      int
	heldBytes int
	// memberLine is the first line that ends in the current member and
	// memberOffset the decompressed offset where the member begins;
	// released is the last line of the member released unchecked (0: none).
	memberLine   int
	memberOffset int64
	released     int
	// tainted: the line being read began in a member that failed.
	tainted bool
	// between: the last member read passed its check and ended between
	// lines; the next readLine starts the next member.
	between bool
	line    int // the line of the entry Next returned last

	// topology is the header's copy of the first hello (Header.Topology)
	// as written, compacted; nil when the header has none.
	topology json.RawMessage
	// substitute is the header's copy waiting to be returned in place of
	// the first hello, lost with a damaged member, at the time of the
	// entry after it (see memberFailed); nil when none waits.
	substitute *lostFirstHello
}

// lostFirstHello is the first hello, lost with the gzip member of lines
// first-last that failed with err, whose copy from the header is to be
// played in its place.
type lostFirstHello struct {
	line, first, last int
	err               error
	// again are the lines of the hellos after the first in the member: a
	// feed sends its hello again when a client subscribes, a second after
	// the first, so the copy stands for them too.
	again []int
}

// heldLine is a line read from a member not yet checked: an entry, or why
// the line is skipped.
type heldLine struct {
	line int
	e    Entry
	err  error
}

// gzipHeaderBytes is the size of a gzip member's fixed header (RFC 1952).
const gzipHeaderBytes = 10

// headerPeek is how much of a non-gzip file NewReader looks at for the
// header's "format": a recording's header line begins with it.
const headerPeek = 256

// NewReader reads and checks the header of the recording in r.
func NewReader(r io.Reader) (*Reader, error) {
	br, ok := r.(*bufio.Reader) // as ReadFile passes it
	if !ok {
		br = bufio.NewReader(r)
	}
	// A recording someone decompressed to read or edit is the likely
	// non-gzip file; gzip would only say "invalid header". Another JSON
	// file given by mistake (a scenario, an adapters file) is told apart
	// by its start: it was told to compress itself with gzip.
	if first, perr := br.Peek(1); perr == nil && first[0] == '{' {
		if start, _ := br.Peek(headerPeek); !bytes.Contains(start, []byte(`"`+FormatName+`"`)) {
			return nil, fmt.Errorf(`%w: not gzip data: a JSON file, not a recording (its start has no "format":%q)`, ErrBadHeader, FormatName)
		}
		return nil, fmt.Errorf("%w: not gzip data: it begins with '{', as an uncompressed recording does (compress it with gzip)", ErrBadHeader)
	}
	// A file shorter than a gzip header gets gzip's "unexpected EOF",
	// which names neither the size nor whether it was gzip at all.
	head, _ := br.Peek(gzipHeaderBytes)
	zr, err := gzip.NewReader(br)
	if errors.Is(err, io.EOF) { // not a byte: gzip's "EOF" would not say so
		return nil, fmt.Errorf("%w: empty file (0 bytes)", ErrBadHeader)
	}
	if errors.Is(err, io.ErrUnexpectedEOF) && len(head) < gzipHeaderBytes {
		if len(head) >= 2 && head[0] == 0x1f && head[1] == 0x8b {
			return nil, fmt.Errorf("%w: cut short in its gzip header (%d bytes, a gzip header is %d): its header was never written whole", ErrBadHeader, len(head), gzipHeaderBytes)
		}
		return nil, fmt.Errorf("%w: not gzip data: %d bytes, fewer than a gzip header's %d", ErrBadHeader, len(head), gzipHeaderBytes)
	}
	if err != nil {
		return nil, fmt.Errorf("%w: not gzip data: %v", ErrBadHeader, err)
	}
	// Member by member: gzip reads a member's trailer through br, a
	// ByteReader, without reading ahead, so br is then at the next member.
	zr.Multistream(false)
	rd := &Reader{src: br, zr: zr, br: bufio.NewReaderSize(zr, 64<<10), maxHold: MaxHeldBytes, memberLine: 1}
	line, _, err := rd.readLine()
	for err == errMemberEnd { // a member before the header's, empty
		line, _, err = rd.readLine()
	}
	if err != nil {
		if len(line) == 0 && errors.Is(err, io.EOF) {
			return nil, fmt.Errorf("%w: empty file", ErrBadHeader)
		}
		return nil, fmt.Errorf("%w: line 1 incomplete: %v", ErrBadHeader, err)
	}
	rd.report.Lines = 1
	var h Header
	if err := json.Unmarshal(line, &h); err != nil {
		return nil, fmt.Errorf("%w: line 1: %v", ErrBadHeader, err)
	}
	if h.Format != FormatName {
		return nil, fmt.Errorf("%w: line 1: format %q, want %q", ErrBadHeader, h.Format, FormatName)
	}
	if h.Version != FormatVersion {
		return nil, fmt.Errorf("%w: line 1: version %d (this build reads version %d)", ErrVersion, h.Version, FormatVersion)
	}
	rd.header = h
	// The copy as written, for the feed decoder to judge if it is ever
	// needed: Header.Topology, decoded leniently, may have lost what makes
	// it invalid (a "v" of 2 reads as 2, a missing "ts" as zero).
	var raw struct {
		Topology json.RawMessage `json:"topology"`
	}
	if json.Unmarshal(line, &raw) == nil && len(raw.Topology) > 0 && !bytes.Equal(raw.Topology, []byte("null")) {
		var c bytes.Buffer
		if json.Compact(&c, raw.Topology) == nil {
			rd.topology = c.Bytes()
		}
	}
	return rd, nil
}

// Header returns the recording's header.
func (r *Reader) Header() Header { return r.header }

// Report returns what has been read so far.
func (r *Reader) Report() Report { return r.report }

// Next returns the next entry, or io.EOF once there are no more, whether the
// file ended cleanly or not (see Report).
func (r *Reader) Next() (Entry, error) {
	for {
		for r.next < r.ready {
			h := r.held[r.next]
			r.next++
			if h.err != nil {
				r.skip(h.line, h.err)
				continue
			}
			if r.substitute != nil {
				// The header's copy goes first, at this entry's time: the
				// damaged line's own time is not to be trusted.
				r.next--
				return r.playSubstitute(h), nil
			}
			r.report.Frames++
			r.line = h.line
			return h.e, nil
		}
		if r.done {
			if s := r.substitute; s != nil {
				// No frame came after the damaged member: the copy would
				// have no time and nothing to give a topology to.
				r.substitute = nil
				r.noteLostHello([]heldLine{{line: s.line, e: Entry{Frame: r.topology}}}, s.first, s.last, s.err)
			}
			return Entry{}, io.EOF
		}
		// Everything released was returned: drop it, keep what waits.
		n := copy(r.held, r.held[r.ready:])
		clear(r.held[n:])
		r.held, r.ready, r.next = r.held[:n], 0, 0
		r.readOne()
	}
}

// readOne reads the next line into the hold, or ends the reading.
func (r *Reader) readOne() {
	start := r.offset
	line, complete, err := r.readLine()
	if err == errMemberEnd {
		return // its lines are released (memberPassed)
	}
	if !complete {
		r.done = true
		if len(line) == 0 && errors.Is(err, io.EOF) {
			return // clean end
		}
		if errors.Is(err, io.EOF) {
			err = io.ErrUnexpectedEOF
		}
		if errors.Is(err, io.ErrUnexpectedEOF) {
			// Torn: the file ends inside the member, which cannot be
			// checked; its complete lines go (see Reader).
			r.ready = len(r.held)
		} else if len(r.held) > r.ready {
			// The member is corrupt: what it inflated to so far is
			// not to be trusted either, so reading stops at its start.
			start, r.report.StopLine = r.memberOffset, r.held[r.ready].line
			r.noteLostHello(r.held[r.ready:], r.memberLine, r.held[len(r.held)-1].line, err)
			r.held = r.held[:r.ready]
		}
		r.report.Stopped = true
		if r.report.StopLine == 0 {
			r.report.StopLine = r.report.Lines + 1
		}
		r.report.StopOffset = start
		r.report.Cause = err
		return
	}
	r.report.Lines++
	if r.tainted { // the rest of a line whose beginning failed its check
		r.tainted = false
		return
	}
	h := heldLine{line: r.report.Lines, err: err} // errLineTooLong
	if err == nil && len(bytes.TrimSpace(line)) == 0 {
		return
	}
	if err == nil {
		h.e, h.err = parseEntry(line)
	}
	if r.heldBytes+len(line) > r.maxHold && len(r.held) > r.ready {
		r.report.Unchecked += len(r.held) - r.ready
		r.released = r.report.Lines - 1
		r.ready, r.heldBytes = len(r.held), 0
	}
	r.held = append(r.held, h)
	r.heldBytes += len(line)
}

// memberPassed releases the lines held for the member that just passed its
// check, and begins the next.
func (r *Reader) memberPassed() {
	r.ready, r.heldBytes, r.released = len(r.held), 0, 0
	r.memberLine, r.memberOffset = r.report.Lines+1, r.offset
}

// memberFailed drops the lines held for the member that failed its check
// with err, counts them as skipped and describes them; inLine says the
// member ended inside a line, which goes with it.
func (r *Reader) memberFailed(err error, inLine bool) {
	last := r.report.Lines
	if inLine {
		last++
		r.tainted = true
	}
	r.report.BadMembers++
	if !r.takeHelloFromHeader(r.held[r.ready:], last, err) {
		r.noteLostHello(r.held[r.ready:], r.memberLine, last, err)
	}
	if last == 1 {
		// The member held the header alone, which NewReader read and
		// used before the check: no line is skipped (a member note would
		// read "skipped lines 1-1").
		r.report.HeaderNote = fmt.Sprintf("line 1: the header's gzip member failed its check (%v); the header was read and used before the check", err)
	} else if last >= r.memberLine {
		// The header (line 1) was read and used before its member's end.
		n := last - max(r.memberLine, r.released+1, 2) + 1
		r.report.Skipped += n
		r.report.MemberSkipped += n
		if len(r.report.MemberNotes) < maxSkipNotes {
			note := fmt.Sprintf("lines %d-%d: gzip member failed its check (%v)", r.memberLine, last, err)
			if r.memberLine == 1 {
				note += "; its header was read before the check"
			}
			if r.released > 0 {
				note += fmt.Sprintf("; lines %d-%d were played before it (the member held over %d bytes)", r.memberLine, r.released, r.maxHold)
			}
			r.report.MemberNotes = append(r.report.MemberNotes, note)
		}
	}
	r.held = r.held[:r.ready]
	r.heldBytes, r.released = 0, 0
	r.memberLine, r.memberOffset = last+1, r.offset
}

// firstFrameLine is the line of a recording's first frame, the one that
// Header.Topology copies when it is a hello (see Recorder).
const firstFrameLine = 2

// takeHelloFromHeader arranges for the header's copy of the first hello to
// be played in its place when the first frame, the member's lines lost
// (ending at line last), went with the member that failed with err, and
// reports whether it does. The copy must be a hello the feed decoder takes,
// as the sink would refuse another; one refused is told in the report
// (HeaderTopologyNote). The first frame damaged past parsing is taken for
// the hello the header says it was; one that parsed as another frame is
// not replaced.
func (r *Reader) takeHelloFromHeader(lost []heldLine, last int, err error) bool {
	if r.topology == nil || max(r.memberLine, r.released+1) > firstFrameLine || last < firstFrameLine ||
		len(lost) == 0 || lost[0].line != firstFrameLine {
		return false
	}
	if h := lost[0]; h.err == nil && !holdsHello(h.e.Frame) {
		return false
	}
	if r.memberLine < firstFrameLine || r.report.HeaderNote != "" {
		// The header was read before its member's check, which failed:
		// its copy is no more to be trusted than the line it stands for.
		r.report.HeaderTopologyNote = fmt.Sprintf("the header's copy of the topology was in a gzip member that failed its check: not played in place of line %d's", firstFrameLine)
		return false
	}
	if ferr := validHello(r.topology); ferr != nil {
		r.report.HeaderTopologyNote = fmt.Sprintf("the header's copy of the topology is not a valid protocol v1 hello (%v): not played in place of line %d's", ferr, firstFrameLine)
		return false
	}
	s := &lostFirstHello{line: firstFrameLine, first: max(r.memberLine, firstFrameLine), last: last, err: err}
	for _, h := range lost[1:] {
		if h.err == nil && holdsHello(h.e.Frame) {
			s.again = append(s.again, h.line)
		}
	}
	r.substitute = s
	return true
}

// validHello returns why frame is not a protocol v1 hello, as the feed
// decoder judges it, or nil when it is one.
func validHello(frame []byte) error {
	f, err := feeds.Decode(frame)
	if err != nil {
		return err // the feed decoder's own words: reason, frame and field
	}
	if _, ok := f.(*feeds.Hello); !ok {
		return fmt.Errorf("a %T frame, not a hello", f)
	}
	return nil
}

// playSubstitute returns the header's copy of the first hello, timed as
// next, the first entry after the damaged member, and tells the report.
func (r *Reader) playSubstitute(next heldLine) Entry {
	s := r.substitute
	r.substitute = nil
	r.report.Frames++
	r.report.HelloFromHeader = s.line
	r.report.HelloFromHeaderNote = fmt.Sprintf("line %d: topology taken from the file's header (its hello at line %d was damaged, with lines %d-%d, whose gzip member failed its check (%v)); played at line %d's time",
		s.line, s.line, s.first, s.last, s.err, next.line)
	if len(s.again) > 0 {
		lines := make([]string, len(s.again))
		for i, l := range s.again {
			lines[i] = strconv.Itoa(l)
		}
		r.report.HelloFromHeaderNote += fmt.Sprintf(", in place of the hello sent again at line %s too", strings.Join(lines, ", "))
	}
	r.line = s.line
	return Entry{T: next.e.T, Frame: bytes.Clone(r.topology)}
}

// noteLostHello records in the report the first hello among lost, the
// lines first to last of a gzip member that failed with err. Only the first
// is told: a later one lost too changes nothing a reader must do.
func (r *Reader) noteLostHello(lost []heldLine, first, last int, err error) {
	if r.report.LostHello != 0 {
		return
	}
	for _, h := range lost {
		if h.err != nil || !holdsHello(h.e.Frame) {
			continue
		}
		r.report.LostHello = h.line
		r.report.LostHelloNote = fmt.Sprintf("line %d: the feed's topology (its hello) was in lines %d-%d, whose gzip member failed its check (%v): "+
			"the frames after them have no topology until the next hello, and a desk rejects their measurements (no_topology)",
			h.line, max(first, 2), last, err)
		return
	}
}

// holdsHello reports whether frame is a hello, or a batch with one.
func holdsHello(frame []byte) bool {
	p, ok := peek(frame)
	if !ok {
		return false
	}
	if p.Type == feeds.TypeHello {
		return true
	}
	for _, m := range p.Frames {
		if q, ok := peek(m); ok && q.Type == feeds.TypeHello {
			return true
		}
	}
	return false
}

// LongGap is the silence between two frames of a recording that Read
// reports (Report.Gaps): a feed that was down, or a clock that jumped. It is
// played as recorded, which at 1x is that long a wait.
const LongGap = time.Hour

// noteTime counts the entry of line if its time t goes back before prev, the
// time of the frame of prevLine, or comes more than LongGap after it.
func (r *Reader) noteTime(t, prev time.Time, line, prevLine int) {
	var note string
	switch d := t.Sub(prev); {
	case d < 0:
		r.report.Backwards++
		note = fmt.Sprintf("line %d: t %s is %v before line %d's; played at line %d's time", line, t.Format(time.RFC3339Nano), -d, prevLine, prevLine)
	case d > LongGap:
		r.report.Gaps++
		note = fmt.Sprintf("line %d: %v after line %d, with no frame between", line, d, prevLine)
	default:
		return
	}
	if len(r.report.TimeNotes) < maxSkipNotes {
		r.report.TimeNotes = append(r.report.TimeNotes, note)
	}
}

func (r *Reader) skip(line int, err error) {
	r.report.Skipped++
	if len(r.report.SkipNotes) < maxSkipNotes {
		r.report.SkipNotes = append(r.report.SkipNotes, fmt.Sprintf("line %d: %v", line, err))
	}
}

// errLineTooLong marks a line over MaxLineBytes; it is skipped.
var errLineTooLong = fmt.Errorf("line longer than %d bytes", MaxLineBytes)

// readLine returns the next line without its newline, across member ends.
// complete is false when the stream ended (err says how) before a newline. A
// line over MaxLineBytes is returned complete but empty, with
// errLineTooLong.
func (r *Reader) readLine() (line []byte, complete bool, err error) {
	r.acc = r.acc[:0]
	tooLong := false
	if r.between {
		// The member that ended at the last call passed its check and its
		// lines went out before this reads on into the next one.
		r.between = false
		if err := r.nextMember(); err != nil {
			return r.acc, false, err
		}
	}
	for {
		chunk, err := r.br.ReadSlice('\n')
		r.offset += int64(len(chunk))
		if !tooLong {
			if len(r.acc)+len(chunk) > MaxLineBytes {
				tooLong = true
				r.acc = r.acc[:0]
			} else {
				r.acc = append(r.acc, chunk...)
			}
		}
		switch {
		case err == nil:
			if tooLong {
				return nil, true, errLineTooLong
			}
			return bytes.TrimSuffix(bytes.TrimSuffix(r.acc, []byte{'\n'}), []byte{'\r'}), true, nil
		case errors.Is(err, bufio.ErrBufferFull):
			continue
		case err == io.EOF: // the member ended and passed its check
			r.memberPassed()
			if !tooLong && len(r.acc) == 0 {
				// Between lines, as the recorder ends its members: hand
				// out the member's lines before reading the next, which
				// may not be written yet (a file still being read, Open).
				r.between = true
				return nil, false, errMemberEnd
			}
		case errors.Is(err, gzip.ErrChecksum):
			// The member's data inflated, so its end, and the next
			// member's start, are known: skip it and read on.
			r.memberFailed(err, tooLong || len(r.acc) > 0)
		default:
			return r.acc, false, err
		}
		if err := r.nextMember(); err != nil {
			return r.acc, false, err
		}
	}
}

// errMemberEnd is readLine's word for a gzip member that passed its check
// and ended between two lines: no line, and nothing wrong.
var errMemberEnd = errors.New("gzip member ended")

// nextMember starts reading the next gzip member; io.EOF: there is none.
func (r *Reader) nextMember() error {
	if err := r.zr.Reset(r.src); err != nil {
		return err // io.EOF: no more members
	}
	r.zr.Multistream(false)
	r.br.Reset(r.zr)
	return nil
}

var (
	entryPrefix = []byte(`{"t":"`)
	entryMiddle = []byte(`","frame":`)
)

// parseEntry decodes one line and checks that its frame is of the protocol
// version this build plays.
func parseEntry(line []byte) (Entry, error) {
	e, err := parseLine(line)
	if err != nil {
		return Entry{}, err
	}
	if err := checkFrameVersion(e.Frame); err != nil {
		return Entry{}, err
	}
	return e, nil
}

var frameV1 = []byte(`{"v":1,`)

// checkFrameVersion refuses a frame whose "v" is a number other than
// feeds.ProtocolVersion: the sink would reject it without a word of where in
// the file it was, and the reader can name the line. Anything else odd about
// "v" (missing, not a number) is the sink's to judge and count.
func checkFrameVersion(frame []byte) error {
	if bytes.HasPrefix(frame, frameV1) {
		return nil // as every v1 writer puts it
	}
	var f struct {
		V json.RawMessage `json:"v"`
	}
	if json.Unmarshal(frame, &f) != nil || f.V == nil {
		return nil
	}
	v, err := strconv.ParseFloat(string(f.V), 64)
	if err != nil || v == feeds.ProtocolVersion {
		return nil
	}
	return fmt.Errorf("frame of protocol version %s; this build plays version %d", f.V, feeds.ProtocolVersion)
}

// parseLine decodes one line. Lines as the Recorder writes them take a fast
// path; anything else goes through encoding/json.
func parseLine(line []byte) (Entry, error) {
	if bytes.HasPrefix(line, entryPrefix) {
		rest := line[len(entryPrefix):]
		if i := bytes.Index(rest, entryMiddle); i > 0 && i < 64 && bytes.HasSuffix(rest, []byte{'}'}) {
			frame := rest[i+len(entryMiddle) : len(rest)-1]
			if t, err := time.Parse(time.RFC3339Nano, string(rest[:i])); err == nil && len(frame) > 0 && frame[0] == '{' && json.Valid(frame) {
				return Entry{T: t, Frame: bytes.Clone(frame)}, nil
			}
		}
	}
	var raw struct {
		T     *time.Time      `json:"t"`
		Frame json.RawMessage `json:"frame"`
	}
	if err := json.Unmarshal(line, &raw); err != nil {
		return Entry{}, fmt.Errorf("not a recording line: %w", err)
	}
	if raw.T == nil {
		return Entry{}, errors.New(`no "t"`)
	}
	f := bytes.TrimSpace(raw.Frame)
	if len(f) == 0 || f[0] != '{' {
		return Entry{}, errors.New(`"frame" is not a JSON object`)
	}
	var c bytes.Buffer
	if err := json.Compact(&c, f); err != nil {
		return Entry{}, fmt.Errorf("frame: %w", err)
	}
	return Entry{T: *raw.T, Frame: c.Bytes()}, nil
}

// Recording is a recording in memory, indexed for seeking: a whole one
// (Read), or one still being read (Open), which publishes its entries and
// index as they grow and is safe for concurrent use.
type Recording struct {
	Header Header
	// Entries and Report are the whole recording as Read returns it; for
	// one Open returns they stay empty: Progress and Wait say what is read.
	Entries []Entry // in file order, T non-decreasing (see Read)
	Report  Report
	index   []checkpoint
	history []historyPart // what a backward seek sends before an index point's state
	g       *growth       // nil for a recording read whole
}

// Read reads a whole recording and builds its seek index. A torn tail is not
// an error (see Recording.Report); a bad header, an unknown version or a
// recording without frames is. Entries whose time goes backwards are kept and
// treated as happening at the latest time seen before them, so playback
// order is file order; they are counted (Report.Backwards), as are gaps over
// LongGap (Report.Gaps).
func Read(r io.Reader) (*Recording, error) {
	rd, err := NewReader(r)
	if err != nil {
		return nil, err
	}
	f := newFiller(rd)
	for f.step() {
	}
	rec := &Recording{Header: rd.Header(), Entries: f.entries, Report: rd.Report(), index: f.x.idx, history: f.x.history}
	if len(rec.Entries) == 0 {
		return nil, fmt.Errorf("%w (%s)", ErrEmpty, rec.Report)
	}
	return rec, nil
}

// ReadFile reads the recording at path (see Read).
func ReadFile(path string) (*Recording, error) { return ReadFileProgress(path, nil) }

// ReadFileProgress is ReadFile telling progress, when not nil, how far it
// has got: the bytes of the file read so far and the file's size, as it
// reads, at most once per hundredth of the file (on the calling
// goroutine). A full day takes seconds to read, and the command says how
// far it is meanwhile.
func ReadFileProgress(path string, progress func(read, size int64)) (*Recording, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	// A directory opens fine and fails on reading, as "not gzip data".
	st, err := f.Stat()
	if err == nil && st.IsDir() {
		return nil, fmt.Errorf("%s is a directory, %w", path, ErrNotFile)
	}
	var r io.Reader = f
	if progress != nil && err == nil && st.Size() > 0 {
		r = &progressReader{r: f, size: st.Size(), step: max(st.Size()/100, 1), tell: progress}
	}
	rec, err := Read(bufio.NewReaderSize(r, 256<<10))
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return rec, nil
}

// progressReader counts what is read through it and tells every step bytes.
type progressReader struct {
	r          io.Reader
	read, size int64
	step, next int64
	tell       func(read, size int64)
}

func (p *progressReader) Read(b []byte) (int, error) {
	n, err := p.r.Read(b)
	p.read += int64(n)
	if p.read >= p.next {
		p.tell(p.read, p.size)
		p.next = p.read + p.step
	}
	return n, err
}

// Start returns the time of the first entry.
func (r *Recording) Start() time.Time { return r.view().Start() }

// End returns the time of the last entry: of the last read so far, while
// the recording is still being read (Open).
func (r *Recording) End() time.Time { return r.view().End() }
