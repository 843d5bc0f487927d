package miniapp_test

import (
	"encoding/json"
	"net/http"
	"net/url"
	"testing"
	"time"

	"github.com/rectibot/rectibot/miniapp"
)

// Whatever is wrong with initData, every call answers 401 and nothing
// else; a Telegram user the ledger does not know gets 403 not_linked.
func TestRefusedWithoutLedgerData(t *testing.T) {
	h := newHarness(t)
	h.linkEveryone()
	good := h.initData(liuYangID, "zh-hans")
	tampered, _ := url.ParseQuery(good)
	tampered.Set("user", `{"id":2001,"first_name":"user"}`) // 刘洋's signature, the leader's id
	expired := miniapp.SignUser(liuYangID, "刘洋", "zh", h.clock.Now().Add(-25*time.Hour), token)
	otherBot := miniapp.SignUser(liuYangID, "刘洋", "zh", h.clock.Now(), "654321:ZZyyxxwwvvuuttssrrqqppoonnmmllkkjj")
	for _, c := range []struct {
		name, auth string
		status     int
		body       string
	}{
		{"missing", "", 401, `{"error":"unauthorized"}`},
		{"not tma", "Bearer " + good, 401, `{"error":"unauthorized"}`},
		{"tampered", "tma " + tampered.Encode(), 401, `{"error":"unauthorized"}`},
		{"expired", "tma " + expired, 401, `{"error":"unauthorized"}`},
		{"another bot's", "tma " + otherBot, 401, `{"error":"unauthorized"}`},
		{"garbage", "tma %zz", 401, `{"error":"unauthorized"}`},
		{"a stranger", "tma " + h.initData(strangerID, "zh"), 403, `{"error":"not_linked"}`},
	} {
		for _, path := range []string{"summary", "departments", "trends", "overdue", "tasks/12"} {
			status, body := h.call(path, c.auth, nil)
			if status != c.status || string(body) != c.body+"\n" {
				t.Errorf("%s, %s: %d %s, want %d %s", c.name, path, status, body, c.status, c.body)
			}
		}
	}
	if status, _ := h.call("summary", "tma "+good, nil); status != http.StatusOK {
		t.Errorf("the good initData: %d", status)
	}
}

// A caller is who signed the initData: a user id in the query or in a
// header, or another user's initData beside it, changes nothing.
func TestIdentityIsTheSigner(t *testing.T) {
	h := newHarness(t)
	h.linkEveryone()
	leader := h.initData(socialLeadID, "zh")
	claim := url.Values{"user": {`{"id":2001}`}, "tgWebAppData": {leader}, "user_id": {"2001"}}
	headers := map[string]string{
		"X-Telegram-User-Id": "2001", "X-Forwarded-User": "2001", "X-Telegram-Init-Data": leader,
		"Cookie": "tgWebAppData=" + url.QueryEscape(leader),
	}
	status, body := h.call("summary?"+claim.Encode(), "tma "+h.initData(liuYangID, "zh"), headers)
	var s summary
	if err := json.Unmarshal(body, &s); status != http.StatusOK || err != nil {
		t.Fatalf("summary: %d %s", status, body)
	}
	if s.Person.Name != "刘洋" || s.Total != 3 {
		t.Errorf("summary answered as %s with %d tasks, want 刘洋's 3", s.Person.Name, s.Total)
	}
	status, body = h.call("overdue?"+claim.Encode(), "tma "+h.initData(liuYangID, "zh"), headers)
	var o overdue
	if err := json.Unmarshal(body, &o); status != http.StatusOK || err != nil || len(o.Tasks) != 0 {
		t.Errorf("overdue: %d %s, want 刘洋's: none", status, body)
	}
	// The leader's own initData, as the Authorization, is the leader.
	if s := getJSON[summary](h, socialLeadID, "summary"); s.Person.Name != "分管社会治理副书记" {
		t.Errorf("leader: %+v", s.Person)
	}
}
