package serve

import (
	"encoding/json"
	"net/http"
	"strings"
	"time"

	"leadnavigator/backend/auth"
)

// Sessions in serve mode. Each browser has its own session, kept in an
// HttpOnly, SameSite=Strict cookie that page scripts cannot read. The page
// holds PageToken where the desktop window holds the real token, and
// passes it as the first argument like any token; the server puts the
// cookie's token in its place. The desktop's remembered login
// (RememberSession / RestoreSession in the OS keychain) is never reachable
// over HTTP: those names are answered here from the cookie.

// PageToken is the stand-in for the session token in a browser page.
const PageToken = "cookie-session"

// cookieTTL matches the session token's lifetime (auth.Config.TokenTTL);
// logging out or an idle timeout ends the session earlier on the server.
const cookieTTL = 30 * 24 * time.Hour

// publicMethods take no session: their first argument is never a token.
var publicMethods = map[string]bool{
	"Register": true, "Login": true, "RequestMagicLink": true, "LoginWithMagicLink": true,
}

// DesktopOnly are the bound methods that touch the OS keychain session;
// serve answers them itself and never dispatches them.
var DesktopOnly = []string{"RestoreSession", "RememberSession", "ForgetSession"}

type sessions struct {
	rpc    *Dispatcher
	secure bool
}

func (s sessions) cookieName() string {
	if s.secure {
		return "__Host-ln_session" // the prefix makes browsers insist on Secure, Path=/ and no Domain
	}
	return "ln_session"
}

// requestToken is the session token of a request for the routes that are
// not methods: the cookie, or an Authorization bearer (scripts, tests).
func requestToken(r *http.Request) string {
	if tok, ok := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer "); ok {
		return tok
	}
	for _, name := range []string{"__Host-ln_session", "ln_session"} {
		if c, err := r.Cookie(name); err == nil {
			return c.Value
		}
	}
	return ""
}

func (s sessions) set(w http.ResponseWriter, token string) {
	http.SetCookie(w, &http.Cookie{Name: s.cookieName(), Value: token, Path: "/", HttpOnly: true,
		Secure: s.secure, SameSite: http.SameSiteStrictMode, MaxAge: int(cookieTTL / time.Second)})
}

func (s sessions) clear(w http.ResponseWriter) {
	http.SetCookie(w, &http.Cookie{Name: s.cookieName(), Value: "", Path: "/", HttpOnly: true,
		Secure: s.secure, SameSite: http.SameSiteStrictMode, MaxAge: -1})
}

// call runs method for the browser: the keychain-session methods are
// answered from the cookie, PageToken is swapped for the cookie's token,
// and a session a method returns goes into the cookie, not the page.
func (s sessions) call(w http.ResponseWriter, r *http.Request, method string, body []byte) (any, error) {
	switch method {
	case "RestoreSession":
		return s.restore(w, r), nil
	case "RememberSession":
		return nil, nil // the cookie is the browser's memory
	case "ForgetSession":
		s.clear(w)
		return nil, nil
	}
	args, err := s.withToken(r, method, body)
	if err != nil {
		return nil, err
	}
	result, err := s.rpc.Call(method, args)
	if method == "Logout" {
		s.clear(w)
	}
	if err != nil {
		return nil, err
	}
	if sess, ok := result.(auth.Session); ok && sess.Token != "" && !wantsToken(r) {
		s.set(w, sess.Token)
		sess.Token = PageToken
		return sess, nil
	}
	return result, nil
}

// TokenDeliveryHeader, set to "token" by a script (tests, tools), asks for
// the session token in the answer instead of a cookie: a script keeps its
// token itself and passes it as the first argument. A page of another site
// cannot send this header (it would need a CORS preflight, never granted).
const TokenDeliveryHeader = "X-Session-Delivery"

func wantsToken(r *http.Request) bool { return r.Header.Get(TokenDeliveryHeader) == "token" }

// withToken replaces a first argument equal to PageToken by the request's
// session token. Other first arguments pass as they are: a script may send
// its own token (it cannot be made to by another site's page, which knows
// none).
func (s sessions) withToken(r *http.Request, method string, body []byte) (json.RawMessage, error) {
	if publicMethods[method] || len(body) == 0 {
		return body, nil
	}
	var args []json.RawMessage
	if err := json.Unmarshal(body, &args); err != nil || len(args) == 0 {
		return body, nil // the dispatcher reports the malformed arguments
	}
	var first string
	if json.Unmarshal(args[0], &first) != nil || first != PageToken {
		return body, nil
	}
	tok, _ := json.Marshal(requestToken(r))
	args[0] = tok
	return json.Marshal(args)
}

// restore answers the page's RestoreSession from its own cookie: the
// logged-in user, or an empty session.
func (s sessions) restore(w http.ResponseWriter, r *http.Request) auth.Session {
	tok := requestToken(r)
	if tok == "" {
		return auth.Session{}
	}
	args, _ := json.Marshal([]string{tok})
	res, err := s.rpc.Call("Me", args)
	u, ok := res.(auth.User)
	if err != nil || !ok {
		s.clear(w)
		return auth.Session{}
	}
	return auth.Session{Token: PageToken, User: u}
}
