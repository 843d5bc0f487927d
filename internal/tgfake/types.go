package tgfake

import "github.com/go-telegram/bot/models"

// The Bot API's types as the emulator's users see them: the sandbox (product
// code outside bot/, handlers/ and cmd/) builds updates and users through
// the emulator without importing the Telegram library itself.
type (
	Update  = models.Update
	Message = models.Message
	User    = models.User
)
