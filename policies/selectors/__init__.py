"""Reads about policies, each scoped to the school: the library (library.py), what members must
accept and the in-class sign-off (accept.py), the acceptance figures (figures.py) and the
visitor kiosk (kiosk.py)."""
