"""The one formula for a percent of things done."""

import pytest

from lms.progress import Progress


@pytest.mark.parametrize(
    ("done", "total", "percent"),
    [
        (0, 0, 0),  # nothing to do is not "done"
        (0, 3, 0),
        (1, 3, 33),
        (2, 3, 67),
        (1, 8, 12),  # 12.5 rounds to even, as every progress figure always has
        (3, 8, 38),  # 37.5 as well
        (7, 7, 100),
    ],
)
def test_percent_of_things_done(done, total, percent):
    assert Progress(done=done, total=total).percent == percent
