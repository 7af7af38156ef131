"""Health checks and durations (with the fixed duration parsing)."""

from __future__ import annotations

import pytest

from dockermap.map.input import HealthCheck, get_healthcheck
from dockermap.map.input.healthcheck import get_nanoseconds

SECOND = 1_000_000_000


class TestDurations:
    @pytest.mark.parametrize(
        "value, expected",
        [
            (None, None),
            ("", 0),
            (0, 0),
            (1500, 1500),
            ("100", 100),
            ("100ns", 100),
            ("5us", 5_000),
            ("20ms", 20_000_000),
            ("1000 ms", SECOND),
            ("30s", 30 * SECOND),
            ("2m", 120 * SECOND),
            ("1h", 3600 * SECOND),
            ("1.5s", 1_500_000_000),
            ("0.25m", 15 * SECOND),
            (".5s", SECOND // 2),
            ("1.s", SECOND),
            ("  10s  ", 10 * SECOND),
            ("1.1s", 1_100_000_000),
        ],
    )
    def test_converted(self, value, expected):
        assert get_nanoseconds(value) == expected

    @pytest.mark.parametrize(
        "value",
        [
            "10 parsecs",
            "1x",
            "-1s",
            "1h30m",
            "s",
            "1 s s",
            "1.5.2s",
            "   ",
            "1S",
            "١s",
            -5,
            1.5,
            True,
            [1],
            {"s": 1},
        ],
    )
    def test_rejected(self, value):
        with pytest.raises(ValueError) as info:
            get_nanoseconds(value)
        message = str(info.value)
        assert repr(value) in message
        assert "units ns, us, ms, s, m, h" in message

    def test_fraction_of_nanosecond_rejected(self):
        with pytest.raises(
            ValueError, match=r"Invalid duration '1.5ns' \(not a whole number of nanoseconds\)"
        ):
            get_nanoseconds("1.5ns")

    def test_owner_in_message(self):
        with pytest.raises(
            ValueError, match=r"^Invalid HealthCheck.timeout '1x': expected integer nanoseconds"
        ):
            HealthCheck("true", timeout="1x")


class TestHealthCheck:
    def test_defaults(self):
        assert HealthCheck("curl -f localhost") == ("curl -f localhost", None, None, None, None)

    def test_durations_converted(self):
        check = HealthCheck(["CMD", "true"], "30s", "5s", 3, "1m")
        assert check == (["CMD", "true"], 30 * SECOND, 5 * SECOND, 3, 60 * SECOND)

    @pytest.mark.parametrize("test", [None, "", "NONE", [], ()])
    def test_disabled(self, test):
        assert HealthCheck(test).test is None

    @pytest.mark.parametrize(
        "test, expected",
        [
            ("curl -f x", "curl -f x"),
            (["curl", "-f", "x"], ["CMD", "curl", "-f", "x"]),
            (("curl", "-f"), ["CMD", "curl", "-f"]),
            (["CMD", "curl"], ["CMD", "curl"]),
            (["CMD-SHELL", "curl || exit 1"], ["CMD-SHELL", "curl || exit 1"]),
            (["NONE"], ["NONE"]),
        ],
    )
    def test_test_forms(self, test, expected):
        assert HealthCheck(test).test == expected

    @pytest.mark.parametrize(
        "kwargs, message",
        [
            ({"test": 5}, r"HealthCheck.test must be None, a shell command string"),
            ({"test": {"cmd": "x"}}, r"HealthCheck.test must be"),
            ({"test": ["curl", 5]}, r"each item of HealthCheck.test must be"),
            ({"test": "x", "retries": "3"}, r"HealthCheck.retries must be None or a non-negative integer"),
            ({"test": "x", "retries": -1}, r"HealthCheck.retries must be"),
            ({"test": "x", "retries": True}, r"HealthCheck.retries must be"),
            ({"test": "x", "interval": "soon"}, r"Invalid HealthCheck.interval 'soon'"),
            ({"test": "x", "start_period": "1y"}, r"Invalid HealthCheck.start_period '1y'"),
        ],
    )
    def test_rejected(self, kwargs, message):
        with pytest.raises(ValueError, match=message):
            HealthCheck(**kwargs)

    def test_asdict_omits_unset_fields(self):
        assert HealthCheck("x", "10s", None, 0, 0)._asdict() == {"test": "x", "interval": 10 * SECOND}
        assert HealthCheck(None)._asdict() == {"test": None}
        assert HealthCheck(["a"], "1s", "2s", 3, "4s")._asdict() == {
            "test": ["CMD", "a"],
            "interval": SECOND,
            "timeout": 2 * SECOND,
            "retries": 3,
            "start_period": 4 * SECOND,
        }


class TestGetHealthcheck:
    def test_instance_unchanged(self):
        check = HealthCheck("x")
        assert get_healthcheck(check) is check

    def test_string(self):
        assert get_healthcheck("curl x") == HealthCheck("curl x")

    @pytest.mark.parametrize(
        "value, expected",
        [
            (["curl x"], HealthCheck("curl x")),
            ((["curl", "x"], "10s"), HealthCheck(["CMD", "curl", "x"], 10 * SECOND)),
            ([["curl"], "10s", "2s", 3, "1m"], HealthCheck(["curl"], "10s", "2s", 3, "1m")),
        ],
    )
    def test_sequence_is_positional(self, value, expected):
        assert get_healthcheck(value) == expected

    def test_dict(self):
        value = {"test": ["curl"], "interval": "1s", "retries": 2}
        assert get_healthcheck(value) == HealthCheck(["CMD", "curl"], SECOND, None, 2)

    @pytest.mark.parametrize(
        "value, detail",
        [
            (None, ""),
            (5, ""),
            (
                ["a", "1s", "1s", 1, "1s", "extra"],
                r" \(6 values given, HealthCheck fields are test, interval,",
            ),
            ([], r" \(missing test;"),
            ({"tset": "x"}, r" \(unknown key\(s\) 'tset';"),
            ({"interval": "1s"}, r" \(missing test;"),
            (["CMD", "curl", "x"], r" \(Invalid HealthCheck.interval 'curl'"),
        ],
    )
    def test_rejected(self, value, detail):
        with pytest.raises(ValueError, match=rf"^Invalid health check .*{detail}.*: expected a HealthCheck"):
            get_healthcheck(value)
