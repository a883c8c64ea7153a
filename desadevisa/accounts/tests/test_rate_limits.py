from desadevisa.accounts.rate_limits import rate_limit_hit

HOUR = 60 * 60


def attempts(key: str, times: int) -> list[bool]:
    return [rate_limit_hit(key=key, limit=2, window_seconds=HOUR) for _ in range(times)]


def test_attempts_beyond_the_limit_are_hits_and_other_keys_are_counted_apart(clock):
    assert attempts("inquiry:203.0.113.7", 3) == [False, False, True]
    assert attempts("inquiry:203.0.113.8", 1) == [False]


def test_the_window_rolls_instead_of_restarting_on_the_hour(clock):
    attempts("inquiry:203.0.113.7", 2)
    clock.advance(minutes=59)

    still_counted = attempts("inquiry:203.0.113.7", 1)
    clock.advance(minutes=1)
    first_two_forgotten = attempts("inquiry:203.0.113.7", 1)

    assert (still_counted, first_two_forgotten) == ([True], [False])
