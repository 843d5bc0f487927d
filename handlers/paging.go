package handlers

import "github.com/rectibot/rectibot/outbound"

// pageButtons is the ◀ / ▶ row of a list paged in place, on page (from 0)
// of pages; data is the callback data that opens a page, as each list
// encodes it.
func pageButtons(r *request, page, pages int, data func(page int) string) []outbound.Button {
	var nav []outbound.Button
	if page > 0 {
		nav = append(nav, outbound.Button{Text: "◀ " + r.t("page_prev", nil), Data: data(page - 1)})
	}
	if page < pages-1 {
		nav = append(nav, outbound.Button{Text: r.t("page_next", nil) + " ▶", Data: data(page + 1)})
	}
	return nav
}
