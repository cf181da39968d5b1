from pulso.lib.scores import nps, nps_group


def test_nps_groups_follow_the_standard_thresholds() -> None:
    groups = [nps_group(score) for score in range(11)]
    assert groups == ["detractor"] * 7 + ["passive"] * 2 + ["promoter"] * 2
    assert nps_group(None) is None


def test_nps_is_promoters_minus_detractors_share() -> None:
    assert nps([10, 9, 8, 0]) == 25.0
    assert nps([6, 6]) == -100.0
    assert nps([]) is None
