"""Every write of the devices app: each one a transaction with its audit event."""
