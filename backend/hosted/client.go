package hosted

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"time"

	"leadnavigator/backend/auth"
)

// Client talks to a hosted auth server.
type Client struct {
	BaseURL string
	HTTP    *http.Client
}

// NewClient returns a client for baseURL (validated by settings: https,
// or http to loopback only).
func NewClient(baseURL string) *Client {
	return &Client{BaseURL: baseURL, HTTP: &http.Client{Timeout: 20 * time.Second}}
}

// ErrUnreachable wraps network failures, so the UI can tell "server down"
// from "wrong password".
var ErrUnreachable = errors.New("the shared account server cannot be reached")

// do sends body (nil for GET) and decodes the answer into out.
func (c *Client) do(method, path, bearer string, body, out any) error {
	var rd io.Reader
	if body != nil {
		raw, err := json.Marshal(body)
		if err != nil {
			return err
		}
		rd = bytes.NewReader(raw)
	}
	req, err := http.NewRequest(method, c.BaseURL+path, rd)
	if err != nil {
		return err
	}
	req.Header.Set("Content-Type", "application/json")
	if bearer != "" {
		req.Header.Set("Authorization", "Bearer "+bearer)
	}
	res, err := c.HTTP.Do(req)
	if err != nil {
		return fmt.Errorf("%w (%s): %v", ErrUnreachable, c.BaseURL, err)
	}
	defer res.Body.Close()
	raw, _ := io.ReadAll(io.LimitReader(res.Body, 4<<20))
	if res.StatusCode >= 300 {
		var e apiError
		if json.Unmarshal(raw, &e) == nil && e.Error != "" {
			return knownError(e.Error)
		}
		return fmt.Errorf("shared account server %s answered %s", c.BaseURL, res.Status)
	}
	if out == nil {
		return nil
	}
	if err := json.Unmarshal(raw, out); err != nil {
		return fmt.Errorf("shared account server %s sent an unreadable answer: %w", c.BaseURL, err)
	}
	return nil
}

// Register creates an account on the server.
func (c *Client) Register(email, password, fullName string) (auth.Session, error) {
	var s auth.Session
	err := c.do("POST", "/v1/register", "", credentials{Email: email, Password: password, FullName: fullName}, &s)
	return s, err
}

// Login checks a password on the server.
func (c *Client) Login(email, password string) (auth.Session, error) {
	var s auth.Session
	err := c.do("POST", "/v1/login", "", credentials{Email: email, Password: password}, &s)
	return s, err
}

// RequestMagicLink asks the server to email a login link.
func (c *Client) RequestMagicLink(email string) error {
	return c.do("POST", "/v1/magic-link", "", credentials{Email: email}, nil)
}

// ConsumeMagicLink spends a login token on the server.
func (c *Client) ConsumeMagicLink(token string) (auth.Session, error) {
	var s auth.Session
	err := c.do("POST", "/v1/magic-link/consume", "", map[string]string{"token": token}, &s)
	return s, err
}

// Logout revokes the bearer session on the server.
func (c *Client) Logout(bearer string) error {
	return c.do("POST", "/v1/logout", bearer, struct{}{}, nil)
}

// Invite creates and emails an invitation (bearer: the inviter's hosted session).
func (c *Client) Invite(bearer string, inv Invitation) (Invitation, error) {
	var out Invitation
	err := c.do("POST", "/v1/invitations", bearer, inv, &out)
	return out, err
}

// Mine lists the pending invitations addressed to the bearer.
func (c *Client) Mine(bearer string) ([]Invitation, error) {
	var out []Invitation
	err := c.do("GET", "/v1/invitations/mine", bearer, nil, &out)
	return out, err
}

// Sent lists every invitation the bearer sent for one workspace.
func (c *Client) Sent(bearer, workspaceRef string) ([]Invitation, error) {
	var out []Invitation
	err := c.do("GET", "/v1/invitations/sent?workspaceRef="+url.QueryEscape(workspaceRef), bearer, nil, &out)
	return out, err
}

// Answer is "accept" or "reject" (the invitee) or "revoke" (the inviter).
func (c *Client) Answer(bearer string, id int64, verb string) (Invitation, error) {
	var out Invitation
	err := c.do("POST", fmt.Sprintf("/v1/invitations/%d/%s", id, url.PathEscape(verb)), bearer, struct{}{}, &out)
	return out, err
}

// AcceptToken accepts the invitation behind a pasted code.
func (c *Client) AcceptToken(bearer, token string) (Invitation, error) {
	var out Invitation
	err := c.do("POST", "/v1/invitations/accept-token", bearer, map[string]string{"token": token}, &out)
	return out, err
}

// knownError maps the server's message back to the auth package's error
// when it is one (so callers can errors.Is it), else keeps it as is: the
// messages are written for users.
func knownError(msg string) error {
	for _, known := range []error{auth.ErrBadCredentials, auth.ErrLocked, auth.ErrEmailTaken, auth.ErrBadMagicLink, auth.ErrUnauthenticated, auth.ErrEmailNotVerified} {
		if msg == known.Error() {
			return known
		}
	}
	return errors.New(msg)
}
