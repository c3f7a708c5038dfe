"""Every write of the consent app, each with its audit event (a package by what it does)."""
