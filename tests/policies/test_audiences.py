import pytest

from policies.audiences import key_stage_audience


@pytest.mark.parametrize(
    "year_group,expected",
    [
        ("Reception", "pupils_eyfs"),
        ("R", "pupils_eyfs"),
        ("Year R", "pupils_eyfs"),
        ("Nursery", "pupils_eyfs"),
        ("Year 1", "pupils_ks1"),
        ("Y2", "pupils_ks1"),
        ("Year 3", "pupils_ks2"),
        ("Year 6", "pupils_ks2"),
        ("Year 7", "pupils_ks3"),
        ("Y10", "pupils_ks4"),
        ("Year 11", "pupils_ks4"),
        ("Year 12", "pupils_ks5"),
        ("Class of dolphins", None),
    ],
)
def test_it_maps_mis_year_groups_to_key_stages(year_group, expected):
    assert key_stage_audience(year_group) == expected
