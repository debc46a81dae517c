"""Every Qt item-data role the window's models and lists use, each defined once."""

from __future__ import annotations

from PySide6.QtCore import Qt

_BASE = Qt.ItemDataRole.UserRole

EPISODE_SUMMARY_ROLE = _BASE + 1  # episode list: the EpisodeSummary of the row
EPISODE_ID_ROLE = _BASE + 2  # episode list: its id
HIGHLIGHT_ID_ROLE = _BASE + 3  # highlight list: the highlight's id
HIGHLIGHT_PARTS_ROLE = _BASE + 4  # highlight list: (quote, comment) as shown
SEARCH_RESULT_ROLE = _BASE + 5  # search results: the SearchResult
RELATED_LINK_ROLE = _BASE + 6  # related list and suggestions: the RelatedLink
ITEM_KEY_ROLE = _BASE + 7  # takeaways and related: the stored row id, or a negative key until stored
ITEM_VERSION_ROLE = _BASE + 8  # takeaways: the row version the item was read with
ITEM_BASE_ROLE = _BASE + 9  # takeaways: the text as read
NOTEBOOK_ITEM_ROLE = _BASE + 10  # notebook: the NotebookItem of the row
