"""ESPI LocalTimeParameters: decode the DST rules and name the IANA zone they describe.

``dstStartRule``/``dstEndRule`` are 32-bit maps (``360E2000`` = second Sunday of
March at 02:00). Day boundaries need a real zone, so a standard offset with the
US/Canada rules (in force since 2007) maps to the zone of a Canadian city with
those rules, a standard offset without DST to a zone without DST; anything
else stays a description (the meter's premise zone then decides).
"""

from __future__ import annotations

import dataclasses

DISABLED_RULE = 0xFFFFFFFF

_WEEKDAYS = ("", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
_MONTHS = (
    "",
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)
_ORDINALS = ("", "", "1st", "2nd", "3rd", "4th", "5th", "last")


@dataclasses.dataclass(frozen=True)
class DstRule:
    """One decoded ``DstRuleType``: when, in local standard time, DST starts or ends."""

    month: int
    operator: int
    """0 on day-of-month, 1 first weekday on or after it, 2-6 1st-5th weekday, 7 last."""
    day_of_month: int
    weekday: int
    """1 = Monday … 7 = Sunday (0 = not applicable)."""
    hour: int
    seconds: int

    @classmethod
    def decode(cls, value: int) -> DstRule:
        return cls(
            month=(value >> 28) & 0xF,
            operator=(value >> 25) & 0x7,
            day_of_month=(value >> 20) & 0x1F,
            weekday=(value >> 17) & 0x7,
            hour=(value >> 12) & 0x1F,
            seconds=value & 0xFFF,
        )

    def when(self) -> tuple[int, int, int, int, int]:
        """What identifies the rule, to the minute (some files vary the seconds)."""
        return (self.month, self.operator, self.day_of_month, self.weekday, self.hour)

    def describe(self) -> str:
        month = _MONTHS[self.month] if 1 <= self.month <= 12 else f"month {self.month}"
        weekday = _WEEKDAYS[self.weekday] if 1 <= self.weekday <= 7 else f"weekday {self.weekday}"
        if self.operator == 0:
            day = f"{month} {self.day_of_month}"
        elif self.operator == 1:
            day = f"the first {weekday} on or after {month} {self.day_of_month}"
        else:
            day = f"the {_ORDINALS[self.operator]} {weekday} of {month}"
        minutes, seconds = divmod(self.seconds, 60)
        clock = f"{self.hour:02d}:{minutes:02d}" + (f":{seconds:02d}" if seconds else "")
        return f"{day} at {clock}"


US_CANADA_START = DstRule(3, 3, 0, 7, 2, 0).when()
"""Second Sunday of March, 02:00."""
US_CANADA_END = DstRule(11, 2, 0, 7, 2, 0).when()
"""First Sunday of November, 02:00."""

_WITH_US_CANADA_DST = {
    -12_600: "America/St_Johns",
    -14_400: "America/Halifax",
    -18_000: "America/Toronto",
    -21_600: "America/Winnipeg",
    -25_200: "America/Edmonton",
    -28_800: "America/Vancouver",
    -32_400: "America/Anchorage",
}
_WITHOUT_DST = {
    -14_400: "America/Puerto_Rico",
    -18_000: "America/Atikokan",
    -21_600: "America/Regina",
    -25_200: "America/Phoenix",
    -36_000: "Pacific/Honolulu",
    0: "UTC",
}


def _offset_text(seconds: int) -> str:
    sign = "-" if seconds < 0 else "+"
    hours, rest = divmod(abs(seconds), 3600)
    return f"UTC{sign}{hours:02d}:{rest // 60:02d}"


@dataclasses.dataclass(frozen=True)
class LocalTime:
    """A file's LocalTimeParameters (offsets in seconds, rules as read)."""

    tz_offset: int
    dst_offset: int = 0
    dst_start_rule: int | None = None
    dst_end_rule: int | None = None

    @property
    def observes_dst(self) -> bool:
        rules = (self.dst_start_rule, self.dst_end_rule)
        return bool(self.dst_offset) and all(r not in (None, 0, DISABLED_RULE) for r in rules)

    def zone(self) -> str | None:
        """The IANA zone these parameters describe, when they match a known one."""
        if not self.observes_dst:
            if self.tz_offset in _WITHOUT_DST:
                return _WITHOUT_DST[self.tz_offset]
            hours, rest = divmod(-self.tz_offset, 3600)
            if rest == 0 and -14 <= hours <= 12:
                return f"Etc/GMT{hours:+d}" if hours else "UTC"  # POSIX sign: Etc/GMT+5 is UTC-5
            return None
        start, end = self._rules()
        if (start.when(), end.when(), self.dst_offset) == (US_CANADA_START, US_CANADA_END, 3600):
            return _WITH_US_CANADA_DST.get(self.tz_offset)
        return None

    def _rules(self) -> tuple[DstRule, DstRule]:
        if self.dst_start_rule is None or self.dst_end_rule is None:  # pragma: no cover
            raise ValueError("no DST rules")
        return DstRule.decode(self.dst_start_rule), DstRule.decode(self.dst_end_rule)

    def describe(self) -> str:
        text = _offset_text(self.tz_offset)
        if not self.observes_dst:
            return f"{text}, no daylight saving time"
        start, end = self._rules()
        return (
            f"{text}, daylight saving time {_offset_text(self.dst_offset)[3:]} from "
            f"{start.describe()} to {end.describe()}"
        )

    def as_notes(self) -> dict[str, object]:
        return {
            "tz_offset": self.tz_offset,
            "dst_offset": self.dst_offset,
            "dst_start_rule": _hex(self.dst_start_rule),
            "dst_end_rule": _hex(self.dst_end_rule),
            "zone": self.zone(),
            "description": self.describe(),
        }


def _hex(rule: int | None) -> str | None:
    return None if rule is None else f"{rule:08X}"
