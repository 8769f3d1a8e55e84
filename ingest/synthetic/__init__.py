"""The deterministic synthetic neighbourhood (Velve-Lindenhof-like) that feeds the demo, tests and benchmarks.

``generate(seed, households, control_households)`` yields canonical ``(kind, record)`` pairs in an order the
loader can stream (every record after the records it refers to). One local ``random.Random(seed)`` drives
everything, so the same seed always gives the same neighbourhood. Calibration targets and the named demo
household are described in :mod:`ingest.synthetic.generator` and :mod:`ingest.synthetic.demo`; the pure
helpers that check them are in :mod:`ingest.synthetic.calibration`.
"""

from __future__ import annotations

from .calibration import (
    HouseholdSnapshot,
    active_per_household,
    coach_effect,
    helper_distribution,
    helpers_per_resident,
    household_snapshot,
    ladder_change,
)
from .demo import (
    DEMO_AS_OF,
    DEMO_HOUSEHOLD_ID,
    DEMO_INTAKE,
    DEMO_MEMBER_COUNTS,
    DEMO_ORGANISATIONS,
    DEMO_PROFESSIONALS,
)
from .generator import generate
from .people import bsn_is_valid, fictional_bsn

__all__ = [
    "DEMO_AS_OF",
    "DEMO_HOUSEHOLD_ID",
    "DEMO_INTAKE",
    "DEMO_MEMBER_COUNTS",
    "DEMO_ORGANISATIONS",
    "DEMO_PROFESSIONALS",
    "HouseholdSnapshot",
    "active_per_household",
    "bsn_is_valid",
    "coach_effect",
    "fictional_bsn",
    "generate",
    "helper_distribution",
    "helpers_per_resident",
    "household_snapshot",
    "ladder_change",
]
