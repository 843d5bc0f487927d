package miniapp

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"
)

const (
	testToken  = "123456:AAbbccddeeffgghhiijjkkllmmnnooppqq"
	otherToken = "654321:ZZyyxxwwvvuuttssrrqqppoonnmmllkkjj"
)

// specSigned builds initData the way Telegram's documentation spells it
// out, independently of the package's signature(): the data-check-string
// by hand, the secret key HMAC-SHA256(key "WebAppData", msg token).
func specSigned(t *testing.T, fields map[string]string, token string) string {
	t.Helper()
	check := []string{}
	for _, k := range []string{"auth_date", "query_id", "user"} { // sorted
		if v, ok := fields[k]; ok {
			check = append(check, k+"="+v)
		}
	}
	key := hmac.New(sha256.New, []byte("WebAppData"))
	key.Write([]byte(token))
	mac := hmac.New(sha256.New, key.Sum(nil))
	mac.Write([]byte(strings.Join(check, "\n")))
	v := url.Values{}
	for k, f := range fields {
		v.Set(k, f)
	}
	v.Set("hash", hex.EncodeToString(mac.Sum(nil)))
	return v.Encode()
}

func TestValidateInitData(t *testing.T) {
	now := time.Date(2026, 12, 6, 9, 0, 0, 0, time.UTC)
	fields := func(user string, at time.Time) map[string]string {
		return map[string]string{"user": user, "auth_date": itoa(at.Unix()), "query_id": "AAHdF6IQAAAAAN0XohDhrOrc"}
	}
	alice := `{"id":9001,"first_name":"王芳","language_code":"zh-hans"}`
	good := specSigned(t, fields(alice, now.Add(-time.Hour)), testToken)

	id, err := Validate(good, testToken, now, 24*time.Hour)
	if err != nil {
		t.Fatalf("good initData refused: %v", err)
	}
	if id.UserID != 9001 || id.FirstName != "王芳" || id.LanguageCode != "zh-hans" {
		t.Errorf("identity %+v", id)
	}

	// The user field swapped for another user's, the hash kept.
	tampered, _ := url.ParseQuery(good)
	tampered.Set("user", `{"id":9002,"first_name":"王芳","language_code":"zh-hans"}`)
	// A literal percent sign must be checked as sent, not unescaped twice.
	pct := specSigned(t, fields(`{"id":9001,"first_name":"100%41"}`, now), testToken)
	if id, err := Validate(pct, testToken, now, time.Hour); err != nil || id.FirstName != "100%41" {
		t.Errorf("a name with %%41 in it: %+v, %v", id, err)
	}
	dup := good + "&user=" + url.QueryEscape(`{"id":9002}`)

	for _, c := range []struct {
		name, raw, token string
		want             error
	}{
		{"missing", "", testToken, ErrNoInitData},
		{"tampered user", tampered.Encode(), testToken, ErrBadHash},
		{"another bot's token", good, otherToken, ErrBadHash},
		{"signed by another bot", specSigned(t, fields(alice, now), otherToken), testToken, ErrBadHash},
		{"expired", specSigned(t, fields(alice, now.Add(-25*time.Hour)), testToken), testToken, ErrExpired},
		{"from the future", specSigned(t, fields(alice, now.Add(time.Hour)), testToken), testToken, ErrExpired},
		{"user given twice", dup, testToken, ErrBadInitData},
		{"no hash", "user=" + url.QueryEscape(alice) + "&auth_date=1", testToken, ErrBadInitData},
		{"not a query", "%zz", testToken, ErrBadInitData},
		{"no user", specSigned(t, map[string]string{"auth_date": itoa(now.Unix())}, testToken), testToken, ErrBadInitData},
	} {
		if _, err := Validate(c.raw, c.token, now, 24*time.Hour); !errors.Is(err, c.want) {
			t.Errorf("%s: got %v, want %v", c.name, err, c.want)
		}
	}
}

func TestSignUserValidates(t *testing.T) {
	now := time.Date(2026, 12, 6, 9, 0, 0, 0, time.UTC)
	raw := SignUser(42, "李明", "en", now, testToken)
	id, err := Validate(raw, testToken, now.Add(time.Minute), time.Hour)
	if err != nil || id.UserID != 42 || id.LanguageCode != "en" {
		t.Fatalf("%+v %v", id, err)
	}
	if _, err := Validate(raw, testToken, now.Add(2*time.Hour), time.Hour); !errors.Is(err, ErrExpired) {
		t.Fatalf("after maxAge: %v", err)
	}
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }
