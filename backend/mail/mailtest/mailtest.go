// Package mailtest runs a real SMTP server (emersion/go-smtp) on 127.0.0.1
// for tests and hands over every received message, already parsed.
package mailtest

import (
	"errors"
	"io"
	"mime"
	"mime/multipart"
	"mime/quotedprintable"
	"net"
	"net/mail"
	"strings"
	"testing"
	"time"

	"github.com/emersion/go-smtp"
)

// Received is one delivered message.
type Received struct {
	From, To string
	Subject  string
	Text     string // text/plain part, decoded
	HTML     string // text/html part, decoded
	Raw      string
}

// Server is a running SMTP sink.
type Server struct {
	Host     string
	Port     int
	Messages chan Received
}

// Start listens on a free loopback port until the test ends.
func Start(t testing.TB) *Server {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	s := &Server{Host: "127.0.0.1", Port: ln.Addr().(*net.TCPAddr).Port, Messages: make(chan Received, 32)}
	srv := smtp.NewServer(smtp.BackendFunc(func(*smtp.Conn) (smtp.Session, error) { return &session{s: s}, nil }))
	srv.Domain = "localhost"
	srv.AllowInsecureAuth = true
	go srv.Serve(ln)
	t.Cleanup(func() { srv.Close() })
	return s
}

// Next waits for the next message or fails the test after timeout.
func (s *Server) Next(t testing.TB, timeout time.Duration) Received {
	t.Helper()
	select {
	case m := <-s.Messages:
		return m
	case <-time.After(timeout):
		t.Fatalf("no email received within %s", timeout)
		return Received{}
	}
}

type session struct {
	s        *Server
	from, to string
}

func (c *session) Reset()                                      {}
func (c *session) Logout() error                               { return nil }
func (c *session) Mail(from string, _ *smtp.MailOptions) error { c.from = from; return nil }
func (c *session) Rcpt(to string, _ *smtp.RcptOptions) error   { c.to = to; return nil }

func (c *session) Data(r io.Reader) error {
	raw, err := io.ReadAll(r)
	if err != nil {
		return err
	}
	m, err := Parse(string(raw))
	if err != nil {
		return err
	}
	m.From, m.To = c.from, c.to
	c.s.Messages <- m
	return nil
}

// Parse decodes a multipart/alternative message into its parts.
func Parse(raw string) (Received, error) {
	msg, err := mail.ReadMessage(strings.NewReader(raw))
	if err != nil {
		return Received{}, err
	}
	out := Received{Raw: raw}
	out.Subject, _ = new(mime.WordDecoder).DecodeHeader(msg.Header.Get("Subject"))
	mt, params, err := mime.ParseMediaType(msg.Header.Get("Content-Type"))
	if err != nil || mt != "multipart/alternative" {
		return out, errors.New("message is not multipart/alternative")
	}
	mr := multipart.NewReader(msg.Body, params["boundary"])
	for {
		p, err := mr.NextPart()
		if err == io.EOF {
			return out, nil
		}
		if err != nil {
			return out, err
		}
		// multipart.Reader decodes quoted-printable itself and drops the header.
		var body []byte
		if p.Header.Get("Content-Transfer-Encoding") == "quoted-printable" {
			body, err = io.ReadAll(quotedprintable.NewReader(p))
		} else {
			body, err = io.ReadAll(p)
		}
		if err != nil {
			return out, err
		}
		switch ct, _, _ := mime.ParseMediaType(p.Header.Get("Content-Type")); ct {
		case "text/plain":
			out.Text = string(body)
		case "text/html":
			out.HTML = string(body)
		}
	}
}
