package mail_test

import (
	"errors"
	"strings"
	"testing"
	"time"

	"leadnavigator/backend/mail"
	"leadnavigator/backend/mail/mailtest"
)

func TestSendMultipartAlternative(t *testing.T) {
	srv := mailtest.Start(t)
	cfg := mail.Config{Host: srv.Host, Port: srv.Port, From: "app@example.com"}
	msg := mail.MagicLink("leadnavigator://", "ann@example.com", "tok_en-123")
	msg.Subject = "Ünïcode subject"
	if err := mail.Send(cfg, msg); err != nil {
		t.Fatal(err)
	}
	got := srv.Next(t, 5*time.Second)
	if got.To != "ann@example.com" || got.From != "app@example.com" || got.Subject != "Ünïcode subject" {
		t.Fatalf("envelope/subject: %+v", got)
	}
	if !strings.Contains(got.Text, "leadnavigator://magic?token=tok_en-123") || !strings.Contains(got.HTML, `<a href="leadnavigator://magic?token=tok_en-123">`) {
		t.Fatalf("parts:\n%s\n---\n%s", got.Text, got.HTML)
	}
}

func TestSendErrorsAreSpecific(t *testing.T) {
	if err := mail.Send(mail.Config{}, mail.Message{To: "a@example.com"}); !errors.Is(err, mail.ErrNotConfigured) {
		t.Fatalf("unconfigured: %v", err)
	}
	srv := mailtest.Start(t)
	err := mail.Send(mail.Config{Host: srv.Host, Port: srv.Port, From: "a@example.com", StartTLS: true}, mail.Message{To: "b@example.com"})
	if err == nil || !strings.Contains(err.Error(), "STARTTLS") {
		t.Fatalf("server without TLS: %v", err)
	}
	err = mail.Send(mail.Config{Host: "127.0.0.1", Port: 1, From: "a@example.com"}, mail.Message{To: "b@example.com"})
	if err == nil || !strings.Contains(err.Error(), "connect to SMTP server 127.0.0.1:1") {
		t.Fatalf("closed port: %v", err)
	}
}
