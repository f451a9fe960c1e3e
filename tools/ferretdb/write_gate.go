// The write gate: a MongoDB wire-protocol front that forwards every message to FerretDB but lets
// only one write command (insert, update, delete, findAndModify) be in flight at a time.
package main

import (
	"encoding/binary"
	"errors"
	"io"
	"log/slog"
	"net"
	"sync"
	"sync/atomic"
	"time"
)

const (
	opMsg          = 2013
	flagMoreToCome = 1 << 1
	maxMessageSize = 48 << 20
)

var writeCommands = map[string]bool{
	"insert": true, "update": true, "delete": true, "findAndModify": true, "findandmodify": true,
}

// writeGate is held from forwarding a write until its reply comes back.
type writeGate struct{ ch chan struct{} }

func newWriteGate() *writeGate { return &writeGate{ch: make(chan struct{}, 1)} }
func (g *writeGate) acquire()  { g.ch <- struct{}{} }
func (g *writeGate) release()  { <-g.ch }

func serveWriteGate(ln net.Listener, backend string, logger *slog.Logger) {
	gate := newWriteGate()
	for {
		client, err := ln.Accept()
		if err != nil {
			if errors.Is(err, net.ErrClosed) {
				return
			}
			logger.Warn("accept failed", "error", err)
			time.Sleep(50 * time.Millisecond)
			continue
		}
		go proxy(client, backend, gate, logger)
	}
}

func proxy(client net.Conn, backend string, gate *writeGate, logger *slog.Logger) {
	defer client.Close()
	server, err := net.Dial("tcp", backend)
	if err != nil {
		logger.Warn("backend dial failed", "error", err)
		return
	}
	defer server.Close()

	// The request id of the write holding the gate for this connection (0: none).
	var pending atomic.Int32
	var once sync.Once
	releasePending := func() {
		if pending.Swap(0) != 0 {
			gate.release()
		}
	}
	done := make(chan struct{})

	go func() { // replies: FerretDB -> client
		defer once.Do(func() { close(done) })
		for {
			msg, err := readMessage(server)
			if err != nil {
				return
			}
			responseTo := int32(binary.LittleEndian.Uint32(msg[8:12]))
			if responseTo != 0 && pending.CompareAndSwap(responseTo, 0) {
				gate.release()
			}
			if _, err := client.Write(msg); err != nil {
				return
			}
		}
	}()

	func() { // requests: client -> FerretDB
		defer once.Do(func() { close(done) })
		for {
			msg, err := readMessage(client)
			if err != nil {
				return
			}
			requestID := int32(binary.LittleEndian.Uint32(msg[4:8]))
			write, expectsReply := classify(msg)
			if write {
				gate.acquire()
				if expectsReply && requestID != 0 {
					pending.Store(requestID)
				}
			}
			_, err = server.Write(msg)
			if write && (!expectsReply || requestID == 0) {
				gate.release()
			}
			if err != nil {
				return
			}
		}
	}()

	<-done
	client.Close()
	server.Close()
	releasePending()
}

func readMessage(r io.Reader) ([]byte, error) {
	var header [4]byte
	if _, err := io.ReadFull(r, header[:]); err != nil {
		return nil, err
	}
	size := int(binary.LittleEndian.Uint32(header[:]))
	if size < 16 || size > maxMessageSize {
		return nil, errors.New("bad message size")
	}
	msg := make([]byte, size)
	copy(msg, header[:])
	if _, err := io.ReadFull(r, msg[4:]); err != nil {
		return nil, err
	}
	return msg, nil
}

// classify reports whether an OP_MSG carries a write command, and whether a reply will follow.
func classify(msg []byte) (write bool, expectsReply bool) {
	if len(msg) < 21 || binary.LittleEndian.Uint32(msg[12:16]) != opMsg {
		return false, true
	}
	flags := binary.LittleEndian.Uint32(msg[16:20])
	expectsReply = flags&flagMoreToCome == 0
	// Sections start at byte 20; the command document is the kind-0 section.
	pos := 20
	for pos < len(msg) {
		kind := msg[pos]
		pos++
		if kind == 0 {
			return writeCommands[firstKey(msg[pos:])], expectsReply
		}
		if kind != 1 || pos+4 > len(msg) {
			return false, expectsReply
		}
		pos += int(binary.LittleEndian.Uint32(msg[pos : pos+4]))
	}
	return false, expectsReply
}

// firstKey returns the name of the first element of a BSON document: the command name.
func firstKey(doc []byte) string {
	if len(doc) < 6 {
		return ""
	}
	name := doc[5:]
	for i, b := range name {
		if b == 0 {
			return string(name[:i])
		}
	}
	return ""
}
