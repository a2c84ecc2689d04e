"""Pieces of pages kept by the values they show: built once per key, bounded."""

from lms.page_generation import DrawnMemo


def test_a_piece_is_drawn_once_per_key_and_the_oldest_fall_out():
    memo = DrawnMemo(size=2)
    drawn = []

    def draw(text):
        drawn.append(text)
        return text.upper()

    assert memo.get("a", lambda: draw("a")) == "A"
    assert memo.get("a", lambda: draw("a")) == "A"
    assert drawn == ["a"]
    memo.get("b", lambda: draw("b"))
    memo.get("a", lambda: draw("a"))  # "a" used last: "b" is the oldest now
    memo.get("c", lambda: draw("c"))
    assert memo.get("a", lambda: draw("a")) == "A"
    memo.get("b", lambda: draw("b"))
    assert drawn == ["a", "b", "c", "b"]
