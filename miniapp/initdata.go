package miniapp

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"net/url"
	"sort"
	"strconv"
	"strings"
	"time"
)

// Telegram signs a Mini App's launch parameters (initData) with a key
// derived from the bot token; https://core.telegram.org/bots/webapps
// "Validating data received via the Mini App". Written here rather than
// taken from go-telegram/bot's ValidateWebappRequest, which unescapes the
// values a second time (a value holding "%41" is checked as "A"), compares
// the hash in variable time and ignores auth_date; the maintained library
// (telegram-mini-apps/init-data-golang) is not served by this module proxy,
// and the check is thirty lines of the standard library.

// Errors of Validate; all of them mean 401.
var (
	ErrNoInitData  = errors.New("initData: missing")
	ErrBadInitData = errors.New("initData: malformed")
	ErrBadHash     = errors.New("initData: signature does not match")
	ErrExpired     = errors.New("initData: auth_date too old")
)

// Identity is who Telegram says opened the Mini App.
type Identity struct {
	UserID       int64
	FirstName    string
	Username     string
	LanguageCode string
	AuthDate     time.Time
}

type webAppUser struct {
	ID           int64  `json:"id"`
	FirstName    string `json:"first_name"`
	Username     string `json:"username"`
	LanguageCode string `json:"language_code"`
}

// Validate checks initData as the Mini App received it (the raw query
// string) against the bot token: the signature over every field but hash,
// and auth_date no older than maxAge at now (nor more than a minute ahead:
// clocks differ a little, not a day).
func Validate(raw, token string, now time.Time, maxAge time.Duration) (Identity, error) {
	if strings.TrimSpace(raw) == "" {
		return Identity{}, ErrNoInitData
	}
	values, err := url.ParseQuery(raw)
	if err != nil {
		return Identity{}, fmt.Errorf("%w: %w", ErrBadInitData, err)
	}
	got, err := hex.DecodeString(values.Get("hash"))
	if err != nil || len(got) != sha256.Size {
		return Identity{}, fmt.Errorf("%w: hash", ErrBadInitData)
	}
	for k, v := range values {
		if len(v) != 1 {
			return Identity{}, fmt.Errorf("%w: %s given %d times", ErrBadInitData, k, len(v))
		}
	}
	if !hmac.Equal(got, signature(values, token)) {
		return Identity{}, ErrBadHash
	}
	sec, err := strconv.ParseInt(values.Get("auth_date"), 10, 64)
	if err != nil {
		return Identity{}, fmt.Errorf("%w: auth_date", ErrBadInitData)
	}
	auth := time.Unix(sec, 0)
	if now.Sub(auth) > maxAge || auth.Sub(now) > time.Minute {
		return Identity{}, ErrExpired
	}
	var u webAppUser
	if err := json.Unmarshal([]byte(values.Get("user")), &u); err != nil || u.ID <= 0 {
		return Identity{}, fmt.Errorf("%w: user", ErrBadInitData)
	}
	return Identity{UserID: u.ID, FirstName: u.FirstName, Username: u.Username,
		LanguageCode: u.LanguageCode, AuthDate: auth}, nil
}

// Sign makes initData for the given fields as Telegram would (the sandbox's
// emulator opens the Mini App with it; tests forge and tamper with it).
func Sign(values url.Values, token string) string {
	v := url.Values{}
	for k, vs := range values {
		if k != "hash" {
			v[k] = vs
		}
	}
	v.Set("hash", hex.EncodeToString(signature(v, token)))
	return v.Encode()
}

// SignUser is Sign for one user at authDate, the fields the Mini App uses.
func SignUser(userID int64, firstName, lang string, authDate time.Time, token string) string {
	user, _ := json.Marshal(webAppUser{ID: userID, FirstName: firstName, LanguageCode: lang})
	return Sign(url.Values{
		"user":      {string(user)},
		"auth_date": {strconv.FormatInt(authDate.Unix(), 10)},
		"query_id":  {"AAH" + strconv.FormatInt(userID, 36)},
	}, token)
}

// signature is HMAC-SHA256 of the data-check-string (every field but hash,
// "key=value" sorted by key, joined by \n) keyed by
// HMAC-SHA256("WebAppData", token).
func signature(values url.Values, token string) []byte {
	keys := make([]string, 0, len(values))
	for k := range values {
		if k != "hash" {
			keys = append(keys, k)
		}
	}
	sort.Strings(keys)
	lines := make([]string, len(keys))
	for i, k := range keys {
		lines[i] = k + "=" + values.Get(k)
	}
	secret := hmac.New(sha256.New, []byte("WebAppData"))
	secret.Write([]byte(token))
	mac := hmac.New(sha256.New, secret.Sum(nil))
	mac.Write([]byte(strings.Join(lines, "\n")))
	return mac.Sum(nil)
}
