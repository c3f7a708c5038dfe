"""What the Photo and video consent app adds to the shared pages
(esafety/contributions.py reads it)."""

from esafety.contributions import Contribution

CONTRIBUTION = Contribution(app="consent")
