"""Quiet hours as a pure function: messages go out in the recipient's local working hours, never at night."""
from datetime import date, datetime
from zoneinfo import ZoneInfo

from notifications.timing import next_send_time

WIT = ZoneInfo("Asia/Jayapura")  # UTC+9, Seram Bagian Timur
WITA = ZoneInfo("Asia/Makassar")  # UTC+8, Sumba Barat Daya
UTC = ZoneInfo("UTC")


def test_it_sends_at_once_inside_working_hours():
    now = datetime(2024, 3, 27, 10, 30, tzinfo=WIT)  # Wednesday
    assert next_send_time(now, WIT, 8, 16) == now


def test_it_holds_a_night_message_until_eight_local_time_in_wit():
    now = datetime(2024, 3, 27, 22, 15, tzinfo=WIT)  # Wednesday night in Maluku
    assert next_send_time(now, WIT, 8, 16) == datetime(2024, 3, 28, 8, 0, tzinfo=WIT)
    assert next_send_time(now, WIT, 8, 16).utcoffset().total_seconds() == 0  # returned in UTC


def test_the_same_instant_is_daytime_in_wita_but_not_yet_in_wit():
    instant = datetime(2024, 3, 27, 23, 30, tzinfo=UTC)  # 08:30 WIT, 07:30 WITA
    assert next_send_time(instant, WIT, 8, 16) == instant
    assert next_send_time(instant, WITA, 8, 16) == datetime(2024, 3, 28, 8, 0, tzinfo=WITA)


def test_it_holds_early_morning_messages_until_the_start_of_the_day():
    now = datetime(2024, 3, 28, 5, 0, tzinfo=WITA)
    assert next_send_time(now, WITA, 8, 16) == datetime(2024, 3, 28, 8, 0, tzinfo=WITA)


def test_the_end_hour_is_already_outside():
    now = datetime(2024, 3, 27, 16, 0, tzinfo=WITA)
    assert next_send_time(now, WITA, 8, 16) == datetime(2024, 3, 28, 8, 0, tzinfo=WITA)


def test_it_skips_the_weekend():
    friday_evening = datetime(2024, 3, 22, 17, 0, tzinfo=WIT)
    assert next_send_time(friday_evening, WIT, 8, 16) == datetime(2024, 3, 25, 8, 0, tzinfo=WIT)
    saturday_noon = datetime(2024, 3, 23, 12, 0, tzinfo=WITA)
    assert next_send_time(saturday_noon, WITA, 8, 16) == datetime(2024, 3, 25, 8, 0, tzinfo=WITA)


def test_it_skips_holidays():
    # 29 March 2024 was Good Friday (Wafat Isa Almasih), a national holiday.
    thursday_night = datetime(2024, 3, 28, 20, 0, tzinfo=WIT)
    assert next_send_time(thursday_night, WIT, 8, 16, frozenset({date(2024, 3, 29)})) == datetime(
        2024, 4, 1, 8, 0, tzinfo=WIT)


def test_equal_start_and_end_means_no_quiet_hours():
    midnight_sunday = datetime(2024, 3, 24, 0, 30, tzinfo=WIT)
    assert next_send_time(midnight_sunday, WIT, 0, 0) == midnight_sunday


def test_a_policy_with_other_hours_is_respected():
    now = datetime(2024, 3, 27, 14, 0, tzinfo=WIT)
    assert next_send_time(now, WIT, 7, 13) == datetime(2024, 3, 28, 7, 0, tzinfo=WIT)
