"""A partner professional gets one card per household and other professional, listing that professional's life
domains, and their own involvement said in words (organisation, life domain, since) — never its id. Before, a
partner account got one card per involvement of the other professional (four about the same coach, one per life
domain), each naming the partner's own involvement by its raw id ("over uw betrokkenheid I-LATE-1"; an outside
review of the signals, 2026-12-05)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from streamlit.testing.v1 import AppTest

from app.auth import default_store
from app.i18n import code_label
from graph.db import Database
from ingest.loader import load_records
from ingest.matching import match_involvements
from queries.access import Role
from queries.audit import AuditLog
from queries.notices import inbox, mark_notice
from tests.household_records import AFTER, SRC, records
from tests.integration.test_signals import NEW, PARTNER

PAGE = str(Path(__file__).resolve().parents[2] / "app" / "views" / "inbox.py")
DOMAINS = ("WONEN", "INKOMEN_FINANCIEN_SCHULDEN", "WERK_PARTICIPATIE")
# P30 of RIBW starts three more involvements with the son S, one per life domain, beside I30 (GEZONDHEID_WELZIJN):
# P07 (JIB), active with S, is told of P30 — once
MORE = [("involvement", {"id": f"I3{n}", "professional_id": "P30", "organisation_id": "O-RIBW", "life_domain": d,
                         "role": "casemanager", "since": date(2009, 1, 10), "until": None, "person_ids": ["S"],
                         "household_id": None, "source": SRC}) for n, d in zip((5, 6, 7), DOMAINS, strict=True)]


def test_a_partner_gets_one_card_per_other_professional_with_their_own_work_in_words(db: Database,
                                                                                     tmp_path: Path) -> None:
    load_records(db, [*records(), *NEW, *MORE])
    match_involvements(db, ["I30", "I35", "I36", "I37"], AFTER)
    audit = AuditLog(tmp_path / "a.sqlite")
    entries = inbox(db, audit, PARTNER)
    assert [(e.other_professional, e.household_id) for e in entries] == [("Prof P30", None)]
    [card] = entries
    assert sorted(card.other_life_domains) == sorted(("GEZONDHEID_WELZIJN", *DOMAINS))
    # marked done, the card is done as a whole (all four pairs), and it stays one card
    assert mark_notice(db, audit, PARTNER, card.key, "done")
    assert [e.status for e in inbox(db, audit, PARTNER)] == ["done"]
    assert inbox(db, audit, PARTNER, include_done=False) == []
    assert mark_notice(db, audit, PARTNER, card.key, "new")

    store = default_store()
    acc = store.get("inboxp07") or store.add_user("inboxp07", Role.PARTNER, organisation="JIB", professional_id="P07",
                                                  password="a long partner password")
    at = AppTest.from_file(PAGE, default_timeout=120)
    at.session_state["wijknet_session_token"] = store.start_session(acc)
    at.run()
    assert not at.exception
    page = " ".join(str(x.value) for x in [*at.caption, *at.markdown])
    assert page.count("Ook betrokken") == 1, page  # one card
    assert page.count("Prof P30") == 1, page
    for d in ("GEZONDHEID_WELZIJN", *DOMAINS):
        assert code_label("life_domain", d, lang="nl") in page, (d, page)
    # the partner's own involvement in words: JIB, its life domain, since 01-04-2008; no id anywhere
    own = f"JIB ({code_label('life_domain', 'VEILIGHEID_JUSTITIE', lang='nl')}, sinds 01-04-2008)"
    assert own in page, page
    assert "I07" not in page and "I30" not in page and "HH-T1" not in page, page
