// Package tgfake is a fake Telegram Bot API server for tests. It speaks
// real HTTP (net/http/httptest), so the bot under test talks to it through
// the real go-telegram/bot client, and it refuses what Telegram refuses,
// with Telegram's status codes and descriptions.
//
// # Use
//
//	s := tgfake.New(tgfake.Options{Clock: clock})
//	defer s.Close()
//	s.AddUser(models.User{ID: 42, FirstName: "张三"})
//	b, _ := bot.New(s.Token(), bot.WithServerURL(s.URL()), bot.WithSkipGetMe())
//	upd := s.Text(42, "/start")           // queued for getUpdates, and returned
//	... run the bot (b.Start) or hand upd to its dispatcher ...
//	s.WaitSent(ctx, 1)
//	last := s.Last(42)                     // what the user sees now
//
// # Server API
//
// Set-up: New(Options{Token, Clock, Limits, BotUsername, PrivacyOff}),
// URL, Token, Close; AddUser (a user who started the bot: private chat id =
// user id), AddGroup(chatID, title, members...), SetAdmin;
// SetFaults(FaultConfig{Rate429, Rate500, RetryAfter, Seed}); SetWebhook (a
// registration and Telegram's last error delivering to it);
// NewManualClock for a Clock a test advances by hand.
//
// Incoming updates (each stored in its chat, queued for getUpdates and
// returned decoded from the JSON the bot would get): Text, GroupText,
// Reply, Forwarded, Photo, ReplyPhoto, Document, ReplyDocument, Upload
// (a document with real bytes), Press (a callback query on a bot message),
// ChannelPost; and my_chat_member updates from Block, Unblock, BotAdded,
// RemoveFromGroup (a blocked user who writes again unblocks first).
//
// Inspection: Messages(chat) and Last(chat) return Sent records with edits
// applied and deletions marked; Calls(method), Rejected() (every 4xx/5xx),
// Commands(scope, lang), CallbackAnswers(), Actions(chat), Pending(),
// Webhook(), SentTotal(), WaitSent(ctx, n).
//
// # Methods served
//
// getMe, getUpdates (offset confirmation, limit, long polling; a newer long
// poll ends the older one with 409; 409 while a webhook is set),
// setWebhook/deleteWebhook/getWebhookInfo (recorded, never delivered to),
// sendMessage, sendPhoto, sendDocument (multipart upload or a file_id the
// fake issued), sendMediaGroup (2–10 photos or documents, not mixed; an
// album counts against flood limits as that many sends), sendChatAction,
// editMessageText, editMessageReplyMarkup, deleteMessage,
// answerCallbackQuery, setMyCommands/getMyCommands/deleteMyCommands,
// getChat, getFile and the /file/bot<token>/<path>
// download it points to. Method names match in any case, as on Telegram.
// Parameters may come as multipart/form-data, JSON, url-encoded form or
// query string. Anything else is 404 Not Found; a wrong token 401.
//
// # Rules enforced
//
//   - Text 1–4096 and captions 0–1024 UTF-16 code units, counted after
//     entity parsing and Telegram's trimming of surrounding whitespace.
//   - parse_mode HTML with Telegram's tags only, properly nested and
//     closed; "<" and "&" that start no tag or known entity are refused, as
//     Telegram's documentation requires (real Telegram lets a stray "&"
//     through). Markdown modes are not implemented and are refused.
//   - reply_markup: valid JSON; inline buttons need text and exactly the
//     Bot API's notion of an action; callback_data 1–64 bytes; copy_text
//     1–256 characters (so go-telegram/bot's empty copy_text on a button
//     without callback_data gives BUTTON_COPY_TEXT_INVALID); 100 buttons.
//   - Chats: private chats exist only for users who started the bot; a
//     known user who did not gets 403, unknown ids 400 "chat not found";
//     blocked users 403; groups the bot was removed from 403.
//   - Edits: "message is not modified" when text, entities and keyboard
//     are unchanged (no reply_markup removes the keyboard); unknown or
//     deleted messages "message to edit not found"; users' messages cannot
//     be edited. Deletion only within 48 hours.
//   - Callback queries: answered once, within Limits.CallbackTimeout, text
//     up to 200 characters.
//   - Flood limits (Limits; Telegram's values by default): 30 sends/s in
//     all, one private chat 1/s after a burst of 3, one group 20/min; a 429
//     carries retry_after in whole seconds, and sending again before it
//     has passed is refused again. Only sends count.
//   - Fault injection (SetFaults): a seeded fraction of sends answer 429
//     or 500 without sending.
//
// Time (dates, limits, callback expiry, the deletion window) comes from
// Options.Clock; long-poll timeouts are real time.
package tgfake
