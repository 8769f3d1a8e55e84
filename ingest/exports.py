"""The synthetic neighbourhood written as realistic source exports (one file per kind, matching ``mappings/``),
with planted errors, so the whole path file → graph can be tested and demoed.

Persons get fictional BSNs (``ingest.synthetic.fictional_bsn``, seeded per person id, so the same person has the
same BSN in every export). The population register is written in cp1252 with ``;`` like a Windows Excel export;
the referrals are an .xlsx sheet with typed dates. Areas are reference data, not an export: load the generator's
``area`` records first. Involvements of a couple are exported for the first person only.

Planted errors (``errors=True``), each with the outcome the ingest must give:

* BRP: an 11-proef failure, an impossible date (31-02), a formula-like name (flagged, stored as text), an unknown column
  ``notities`` (dropped);
* VIS2: an unknown organisation name, an end before its start, two rows with one registration number and
  different dates (conflict: neither loads).
"""

from __future__ import annotations

import csv
import random
from collections.abc import Callable, Iterable
from datetime import date
from pathlib import Path
from typing import Any

__all__ = ["DOMAIN_WORDS", "write_exports"]

DOMAIN_WORDS = {"WONEN": "Wonen", "WERK_PARTICIPATIE": "Werk", "INKOMEN_FINANCIEN_SCHULDEN": "Financiën",
                "GEZONDHEID_WELZIJN": "Gezondheid", "ONDERWIJS_OPVOEDING": "Opvoeding",
                "RECREATIE_VRIJETIJD_RELATIES": "Vrije tijd", "ZORG_HULPVERLENING": "Hulpverlening",
                "VEILIGHEID_JUSTITIE": "Justitie"}
def _d(v: Any, fmt: str = "%d-%m-%Y") -> str:
    return v.strftime(fmt) if isinstance(v, date) else ""


def _write(path: Path, header: list[str], rows: Iterable[list[Any]], *, delimiter: str = ";",
           encoding: str = "utf-8") -> Path:
    with open(path, "w", encoding=encoding, newline="", errors="replace") as fh:
        w = csv.writer(fh, delimiter=delimiter, lineterminator="\r\n")
        w.writerow(header)
        w.writerows(rows)
    return path


def write_exports(directory: Path, *, seed: int = 2008, households: int = 40, errors: bool = True
                  ) -> dict[str, Path]:
    """Write the exports of ``generate(seed, households)`` into ``directory``; return mapping stem → path."""
    from ingest.synthetic import fictional_bsn, generate

    directory.mkdir(parents=True, exist_ok=True)
    by_kind: dict[str, list[dict[str, Any]]] = {}
    for kind, rec in generate(seed=seed, households=households):
        by_kind.setdefault(kind, []).append(rec)
    people = {p["id"]: p for p in by_kind.get("person", [])}
    homes = {h["id"]: h for h in by_kind.get("household", [])}
    orgs = {o["id"]: o for o in by_kind.get("organisation", [])}

    def bsn(pid: str) -> str:
        return fictional_bsn(random.Random(f"{seed}|bsn|{pid}"))

    def born(pid: str) -> str:
        rng = random.Random(f"{seed}|born|{pid}")
        year = people[pid].get("birth_year") or 1970
        return f"{rng.randint(1, 28):02d}-{rng.randint(1, 12):02d}-{year}"

    out: dict[str, Path] = {}
    out["organisaties"] = _write(directory / "organisaties.csv", ["code", "naam", "sector", "groep",
                                                                  "mandaat_verleend"],
                                 ([o["id"], o["name"], o["sector"], o.get("covenant_group") or "",
                                   "ja" if o.get("mandating") else "nee"] for o in orgs.values()))
    out["medewerkers"] = _write(directory / "medewerkers.csv", ["personeelsnummer", "naam", "functie", "instelling",
                                                                "in_dienst", "uit_dienst", "telefoon", "wijkcoach"],
                                ([p["id"], p["name"], p["function"], p["organisation_id"], _d(p["since"]),
                                  _d(p.get("until")), p.get("phone") or "", "ja" if p.get("is_coach") else "nee"]
                                 for p in by_kind.get("professional", [])))
    brp = _brp_rows(by_kind, homes, people, bsn, born, errors)
    out["brp_huishoudens"] = _write(
        directory / "brp_huishoudens.csv",
        ["bsn", "clientnummer", "naam", "geboortedatum", "geslacht", "postcode", "huisnummer", "toevoeging",
         "straat", "wijk", "rol", "ingangsdatum", "einddatum", "corporatie", "notities"], brp, encoding="cp1252")
    vis2 = _vis2_rows(by_kind, homes, orgs, bsn, errors)
    out["vis2_betrokkenheid"] = _write(
        directory / "vis2_betrokkenheid.csv",
        ["registratienummer", "bsn", "clientnummer", "medewerker", "instelling", "functie", "leefgebied", "rol",
         "startdatum", "einddatum", "postcode", "huisnummer", "toevoeging"], vis2)
    out["overdrachten"] = _write(directory / "overdrachten.csv", ["overdrachtnummer", "van_registratie",
                                                                  "naar_registratie", "datum", "reden"],
                                 ([h["id"].removeprefix("HO-"), h["from_involvement_id"].removeprefix("INV-"),
                                   h["to_involvement_id"].removeprefix("INV-"), _d(h["date"]), ""]
                                  for h in by_kind.get("handover", [])))
    out["mandaten"] = _write(directory / "mandaten.csv", ["mandaat", "instelling", "leefgebied", "besluit",
                                                          "ingangsdatum", "einddatum", "contactpersoon"],
                             ([m["id"], m["organisation_id"], m["life_domain"], m["decision_type"],
                               _d(m["since"], "%Y-%m-%d"), _d(m.get("until"), "%Y-%m-%d"),
                               m.get("buddy_professional_id") or ""] for m in by_kind.get("mandate", [])),
                             delimiter=",")
    out["verwijzingen"] = _write_referrals(directory / "verwijzingen.xlsx", by_kind.get("referral", []), bsn)
    return out


def _brp_rows(by_kind: dict[str, list[dict[str, Any]]], homes: dict[str, dict[str, Any]],
              people: dict[str, dict[str, Any]], bsn: Callable[[str], str], born: Callable[[str], str],
              errors: bool) -> list[list[Any]]:
    """The register extract's rows: one per membership (with planted errors)."""
    brp: list[list[Any]] = []
    area_names = {a["code"]: a["name"] for a in by_kind.get("area", [])}  # a city-sized run has more than three
    for m in by_kind.get("membership", []):
        h, pid = homes[m["household_id"]], m["person_id"]
        p = people[pid]
        brp.append([bsn(pid), "", p.get("display_name") or "", born(pid), p.get("gender") or "", h["postcode"],
                     h["house_number"], h.get("suffix") or "", h.get("street") or "", area_names[h["area_code"]],
                     m["role"], _d(m["since"]), _d(m.get("until")), h.get("housing_corporation") or "", ""])
    if errors and len(brp) >= 4:
        brp[0][0] = "123456789"             # fails the 11-proef
        brp[1][3] = "31-02-1980"            # impossible date
        brp[2][2] = "=HYPERLINK(\"http://x\",\"klik\")"  # flagged, stored as text
        brp[3][14] = "verslaafd, schulden"  # unknown column: dropped, never stored
    return brp


def _vis2_rows(by_kind: dict[str, list[dict[str, Any]]], homes: dict[str, dict[str, Any]],
               orgs: dict[str, dict[str, Any]], bsn: Callable[[str], str], errors: bool) -> list[list[Any]]:
    """The involvement export's rows, organisations by name (with planted errors)."""
    vis2: list[list[Any]] = []
    for i in by_kind.get("involvement", []):
        pids = i.get("person_ids") or []
        home = homes.get(i.get("household_id") or "")
        vis2.append([i["id"].removeprefix("INV-"), bsn(pids[0]) if pids else "", "", i["professional_id"],
                     orgs[i["organisation_id"]]["name"], i.get("function") or "", DOMAIN_WORDS[i["life_domain"]],
                     i["role"], _d(i["since"]), _d(i.get("until")), "" if pids or not home else home["postcode"],
                     "" if pids or not home else home["house_number"],
                     "" if pids or not home else (home.get("suffix") or "")])
    if errors and len(vis2) >= 3:
        vis2[0][4] = "Stichting Onbekend"   # unknown code
        vis2[1][8], vis2[1][9] = "01-06-2008", "01-01-2008"  # end before start
        dup = list(vis2[2])
        dup[8] = "02-02-2002"               # same registration number, different start: conflict
        vis2.append(dup)
    return vis2


def _write_referrals(path: Path, referrals: list[dict[str, Any]], bsn: Callable[[str], str]) -> Path:
    """The coaches' referral spreadsheet: sheet "Verwijzingen", typed date cells."""
    import openpyxl

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Verwijzingen"
    ws.append(["nummer", "verwijzer", "naar_instelling", "verwezen_op", "geaccepteerd_op", "gestart_op",
               "leefgebied", "bsn"])
    for r in referrals:
        ws.append([r["id"], r["professional_id"], r["organisation_id"], r["date"], r.get("accepted_at"),
                   r.get("started_at"), DOMAIN_WORDS[r["life_domain"]],
                   bsn(r["person_id"]) if r.get("person_id") else None])
    wb.save(path)
    return path
