"""Play on the coach page goes on when the browser sends back what it showed, and stops when the coach moves.

In CI a replay once stopped after its first date: the slider stayed on it and *Afspelen* came back. The one way
the page stops a replay without a click is a callback of the slider or of the date field, so a browser busy
drawing that sends a widget's value from before the replay's step once more (or the step's own date) must not
count as the coach taking the slider. A date the coach chooses still stops it."""

from __future__ import annotations

from datetime import date

from streamlit.testing.v1 import AppTest

from graph.db import Database


def _play(at: AppTest) -> date:
    at.run()
    assert not at.exception
    before = at.slider[0].value
    assert isinstance(before, date)
    next(b for b in at.button if b.label == "Afspelen").click().run()
    assert not at.exception
    assert _playing(at)
    assert at.slider[0].value != before  # the replay's first date
    return before


def _play_or_stop(at: AppTest) -> list[str]:
    """The replay's buttons the page shows: ["Stop"] while a replay runs, else ["Afspelen"]."""
    return [b.label for b in at.button if b.label in ("Afspelen", "Stop")]


def _playing(at: AppTest) -> bool:
    return _play_or_stop(at) == ["Stop"]


def test_the_slider_s_date_from_before_the_step_sent_back_does_not_stop_play(
        coach_page: AppTest, household_t1: Database) -> None:
    at = coach_page
    before = _play(at)
    shown = at.slider[0].value
    at.slider[0].set_value(before).run()  # the value the browser showed before the step, sent once more
    assert not at.exception
    assert _playing(at)
    now = at.slider[0].value  # the replay went on: this run showed its next date (one date per run)
    assert isinstance(now, date) and now > shown
    assert at.text_input[0].value == f"{now:%d-%m-%Y}"


def test_the_date_field_s_text_from_before_the_step_sent_back_does_not_stop_play(
        coach_page: AppTest, household_t1: Database) -> None:
    at = coach_page
    before = _play(at)
    shown = at.slider[0].value
    at.text_input[0].set_value(f"{before:%d-%m-%Y}").run()
    assert not at.exception
    assert _playing(at)
    now = at.slider[0].value
    assert isinstance(now, date) and now > shown


def test_a_date_sent_back_steps_late_does_not_stop_play(coach_page: AppTest, household_t1: Database) -> None:
    """CI, stop 44: the replay stopped on its first date again. A browser starved by a loaded machine sent the
    field's or the slider's value from two steps before; only the last step's was taken as sent back."""
    at = coach_page
    before = _play(at)
    first = at.slider[0].value
    at.run()
    at.run()  # two steps on: one date per run
    third = at.slider[0].value
    assert _playing(at) and isinstance(third, date) and isinstance(first, date) and third > first
    at.text_input[0].set_value(f"{first:%d-%m-%Y}").run()
    assert not at.exception
    assert _playing(at) and at.slider[0].value > third  # put back, and the next run showed the next date
    at.slider[0].set_value(before).run()  # the slider's date from before the replay, even later
    assert _playing(at)
    assert at.slider[0].value > third


def test_a_date_the_coach_chooses_stops_play(coach_page: AppTest, household_t1: Database) -> None:
    at = coach_page
    _play(at)
    chosen = date(2007, 6, 1)
    at.slider[0].set_value(chosen).run()
    assert not at.exception
    assert not _playing(at)
    assert at.slider[0].value == chosen
    assert _play(at) == chosen
    typed = date(2006, 6, 15)  # neither the replay's date nor the one it moved away from
    at.text_input[0].set_value(f"{typed:%d-%m-%Y}").run()
    assert not at.exception
    assert not _playing(at)
    assert at.slider[0].value == typed


def test_a_replay_starts_with_its_first_date_also_after_one_that_was_stopped(
        coach_page: AppTest, household_t1: Database) -> None:
    """The timer of a replay stopped by the coach was left armed, so the next replay skipped its first date. And
    *Stop* gives *Afspelen* back at once (the run that took the click drew *Stop* again, and no timer was left
    to draw anything after it)."""
    at = coach_page
    _play(at)
    first = at.slider[0].value
    next(b for b in at.button if b.label == "Stop").click().run()
    assert not at.exception
    assert _play_or_stop(at) == ["Afspelen"]
    assert at.slider[0].value == first  # stopped where it was
    at.slider[0].set_value(date(2007, 6, 1)).run()
    _play(at)
    assert at.slider[0].value == first
