package hosted

import (
	"errors"
	"strings"
	"testing"
	"time"

	"leadnavigator/backend/auth"
)

// Issue 11 #15 and #10 on the shared server: with mail set up,
// registering answers the same for a new and an existing email (whose
// owner is mailed a login link), and an invitation is accepted from the
// list only by an account that proved its address.
func TestServerRegistrationRevealsNothingAndAcceptNeedsAProvenEmail(t *testing.T) {
	c, sink, srv := startServer(t)
	owner, err := c.Register("owner@example.com", "owner's password", "Owner")
	if err != nil {
		t.Fatal(err)
	}
	srv.ConfirmEmail = true
	taken, errTaken := c.Register("owner@example.com", "another password", "Impostor")
	fresh, errFresh := c.Register("guest@example.com", "guest's password", "Guest")
	if errTaken != nil || errFresh != nil || !taken.Pending || !fresh.Pending || taken.Token != "" || fresh.Token != "" {
		t.Fatalf("answers: %+v %v / %+v %v", taken, errTaken, fresh, errFresh)
	}
	mails := map[string]string{}
	for i := 0; i < 2; i++ {
		m := sink.Next(t, 5*time.Second)
		mails[m.To] = m.Text
	}
	if !strings.Contains(mails["owner@example.com"], "already has one") {
		t.Fatalf("owner not told: %q", mails["owner@example.com"])
	}
	code := tokenRe.FindStringSubmatch(mails["guest@example.com"])
	if code == nil {
		t.Fatalf("no confirmation code: %q", mails["guest@example.com"])
	}
	guest, err := c.ConsumeMagicLink(code[1])
	if err != nil {
		t.Fatal(err)
	}

	// An account registered before mail was set up never proved its email.
	srv.ConfirmEmail = false
	squatter, err := c.Register("newbie@example.com", "squatter's password", "Squatter")
	if err != nil {
		t.Fatal(err)
	}
	for _, who := range []struct {
		email, bearer string
		ok            bool
	}{{"newbie@example.com", squatter.Token, false}, {"guest@example.com", guest.Token, true}} {
		inv, err := c.Invite(owner.Token, Invitation{WorkspaceRef: "i:1", WorkspaceName: "W", Email: who.email, Role: "viewer"})
		if err != nil {
			t.Fatal(err)
		}
		sink.Next(t, 5*time.Second)
		_, err = c.Answer(who.bearer, inv.ID, "accept")
		if who.ok != (err == nil) || !who.ok && !errors.Is(err, auth.ErrEmailNotVerified) {
			t.Errorf("%s accepting from the list: %v", who.email, err)
		}
	}
}
