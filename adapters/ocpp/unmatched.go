package ocpp

import (
	"encoding/json"
	"slices"

	"github.com/lorenzodonini/ocpp-go/ocppj"
	"github.com/lorenzodonini/ocpp-go/ws"
)

// watchedServer is ocpp-go's websocket server with a look at every message
// before the OCPP-J endpoint reads it, to count the answers it would drop
// without a word, and at every call it writes, to tell a profile sent from
// one still queued.
type watchedServer struct {
	*ws.Server
	c        *CentralSystem
	endpoint *ocppj.Server // set before the server starts
	// subprotocols are those the central system told the server it
	// speaks (ocpp1.6), for admit to tell which connections ocpp-go will
	// close for offering none of them.
	subprotocols []string
}

// AddSupportedSubprotocol notes the subprotocol and hands it on.
func (s *watchedServer) AddSupportedSubprotocol(subProto string) {
	if !slices.Contains(s.subprotocols, subProto) {
		s.subprotocols = append(s.subprotocols, subProto)
	}
	s.Server.AddSupportedSubprotocol(subProto)
}

// Write tells the central system of every call just before it goes out
// (noteCall): ocpp-go marks a call pending just before it writes it, and
// queues the calls behind it.
func (s *watchedServer) Write(clientID string, data []byte) error {
	var msg []json.RawMessage
	var typ ocppj.MessageType
	var id string
	if json.Unmarshal(data, &msg) == nil && len(msg) >= 3 && json.Unmarshal(msg[0], &typ) == nil && typ == ocppj.CALL &&
		json.Unmarshal(msg[1], &id) == nil {
		if req, ok := s.endpoint.RequestState.GetClientState(clientID).GetPendingRequest(id); ok {
			s.c.noteCall(clientID, id, req)
		}
	}
	return s.Server.Write(clientID, data)
}

// SetMessageHandler wraps the endpoint's handler: answers that match no
// pending request are counted and logged, then handed on as before.
func (s *watchedServer) SetMessageHandler(handler func(ch ws.Channel, data []byte) error) {
	s.Server.SetMessageHandler(func(ch ws.Channel, data []byte) error {
		s.checkAnswer(ch.ID(), data)
		return handler(ch, data)
	})
}

// checkAnswer counts a CALLRESULT or CALLERROR whose message id is not the
// client's pending request. The endpoint reads a client's messages one at
// a time on this goroutine, so what is pending now is what it will see.
func (s *watchedServer) checkAnswer(identity string, data []byte) {
	var msg []json.RawMessage
	if err := json.Unmarshal(data, &msg); err != nil {
		// Not a JSON array: ocpp-go returns its parse error before the
		// invalid-message hook (and drops the message without a word), so
		// it is counted and logged here.
		s.c.badMessage(identity, "not an OCPP-J message: "+err.Error(), string(data))
		return
	}
	if len(msg) < 2 {
		return // not OCPP-J: the endpoint reports it to the hook (BadMessages)
	}
	var typ ocppj.MessageType
	var id string
	if json.Unmarshal(msg[0], &typ) != nil || json.Unmarshal(msg[1], &id) != nil {
		return
	}
	if typ != ocppj.CALL_RESULT && typ != ocppj.CALL_ERROR {
		return
	}
	_, pending := s.endpoint.RequestState.GetClientState(identity).GetPendingRequest(id)
	s.c.traceAnswer(identity, id, typ, msg, pending)
	if pending {
		return
	}
	const show = 200
	raw := string(data)
	if len(raw) > show {
		raw = raw[:show] + "…"
	}
	s.c.mu.Lock()
	s.c.counts.UnmatchedAnswers++
	s.c.mu.Unlock()
	s.c.log.Warn("ocpp: answer to no pending request (a second answer, or one from before a reconnect); dropped",
		"identity", identity, "message_id", id, "message", raw)
}
