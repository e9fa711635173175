"""The nomination steps read as sentences on the audit page, with labelled details."""

from django.utils import translation

from apps.audit import labels


def test_the_steps_have_their_own_labels() -> None:
    with translation.override("en"):
        assert labels.action_label("nominations.score") == "Scored a nomination"
        assert labels.action_label("notice.publish") == "Published a public notice"
        assert labels.action_label("nominations.objection_upheld") == "Upheld an objection"


def test_the_details_are_worded() -> None:
    with translation.override("en"):
        nominated = labels.details(
            "nominations.nominate",
            {"kind": "benchmark_project", "industry": "C", "field": "efficiency"},
        )
        changed = labels.details("nominations.score", {"score": [70, 85]})
        proposed = labels.details("nominations.propose", {"publish_summary": True, "mean": 85.5})
    assert [(d.label, d.value) for d in nominated] == [
        ("Kind", "Benchmarking project"),
        ("Industry section", "C Manufacturing"),
        ("Action area", "Efficiency and effectiveness"),
    ]
    assert [(d.label, d.value) for d in changed] == [("Score", "70 → 85")]
    assert [(d.label, d.value) for d in proposed] == [
        ("Summary published", "yes"),
        ("Mean score", "85.5"),
    ]
