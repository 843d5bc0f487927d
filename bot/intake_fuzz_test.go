package bot

import (
	"encoding/json"
	"testing"

	dbmodels "github.com/rectibot/rectibot/models"
)

// FuzzDecodeUpdate feeds the intake what a webhook caller or getUpdates
// could send: anything is either refused as not an update or decoded into
// one with an id, a kind and a chat, without panicking.
func FuzzDecodeUpdate(f *testing.F) {
	for _, seed := range []string{
		`{"update_id":1,"message":{"message_id":1,"date":0,"chat":{"id":42,"type":"private"},"from":{"id":42,"is_bot":false,"first_name":"a"},"text":"/tasks"}}`,
		`{"update_id":2,"callback_query":{"id":"q","from":{"id":42,"is_bot":false,"first_name":"a"},"chat_instance":"c","data":"t:1"}}`,
		`{"update_id":3,"callback_query":{"id":"q","from":{"id":42},"message":{"message_id":1,"date":0,"chat":{"id":-100}}}}`,
		`{"update_id":4,"message":{"message_id":1,"date":0,"chat":{"id":42,"type":"private"},"media_group_id":"g","caption":"/x"}}`,
		`{"update_id":5,"my_chat_member":{"chat":{"id":-1,"type":"group"},"from":{"id":1},"date":0}}`,
		`{"update_id":0}`, `{}`, `[]`, `null`, `{"update_id":"7"}`, `{"update_id":9e99}`,
	} {
		f.Add([]byte(seed))
	}
	f.Fuzz(func(t *testing.T, raw []byte) {
		in, err := decodeUpdate(raw)
		if err != nil {
			return
		}
		if in.upd.ID == 0 {
			t.Fatalf("decoded an update without an id from %q", raw)
		}
		switch k := kindOf(&in.upd); k {
		case dbmodels.UpdateCommand, dbmodels.UpdateMessage, dbmodels.UpdateCallback, dbmodels.UpdateMember, dbmodels.UpdateOther:
		default:
			t.Fatalf("unknown kind %q", k)
		}
		_ = chatOf(&in.upd)
		if !json.Valid(in.raw) {
			t.Fatalf("stored payload is not JSON: %q", in.raw)
		}
	})
}
