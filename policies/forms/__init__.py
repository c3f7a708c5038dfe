"""The policies forms: the library's (library.py), and accepting and the kiosk (accept.py)."""
