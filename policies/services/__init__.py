"""Every write about policies, each with its audit event: the library (library.py), accepting
(acceptances.py), the visitor kiosk (kiosk.py) and exports (exports.py)."""
