"""The watchlist: every authority on one page with what needs attention, for DfE users."""
