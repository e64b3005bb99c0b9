"""The simulation behind a fictional workbook: children followed through the service (contacts,
referrals, assessments, enquiries and conferences, plans, care and leaving care), with a stock
of cases open before the period, and each child's one current team and worker. Every name is
invented from the pools here."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import numpy as np

from indicators.annex_a.fictional.layout import HEADERS
from indicators.annex_a.working_days import as_days, calendar_for

_FIRST = (
    "Ada",
    "Bram",
    "Cleo",
    "Dov",
    "Esme",
    "Finn",
    "Gil",
    "Hana",
    "Ivo",
    "Jun",
    "Kit",
    "Lior",
    "Mira",
    "Nell",
    "Oren",
    "Pia",
    "Quin",
    "Rae",
    "Sol",
    "Tova",
    "Una",
    "Vik",
    "Wren",
    "Yael",
)
_SYLLABLE = (
    "Bel",
    "Cor",
    "Dun",
    "Fen",
    "Gar",
    "Hol",
    "Kes",
    "Lin",
    "Mor",
    "Nar",
    "Pell",
    "Quor",
    "Rav",
    "Sto",
    "Tal",
    "Vor",
    "Wil",
    "Yar",
)
_ENDING = ("by", "dell", "ford", "grave", "holt", "mere", "ton", "wick", "worth", "ley")
_AREAS = ("North", "South", "East", "West", "Central", "Coast", "Vale", "Downs", "Marsh", "Moor")

_GENDERS = ("a) Male", "b) Female")
_ETHNICITIES = ("a) WBRI", "d) WOTH", "h) MWAS", "j) AIND", "o) BAFR", "r) OOTH")
_SOURCES = (
    "e) 2A: Schools",
    "g) 3A: Health services",
    "q) 6: Police",
    "a) 1A: Individual",
    "s) 8: Other",
)
_EET = (
    "F1: Full time in higher education",
    "P2: Part time in education other than higher",
    "F5: Young person engaged full time in training or employment (not apprenticeship)",
    "F4: Young person engaged full time in an apprenticeship",
)
_NEET = (
    "G4: Not in education, employment or training - illness or disability",
    "G5: Not in education, employment or training - other",
    "G6: Not in education, employment or training - pregnancy or parenting",
)

_CEASED = "RC7 - Services ceased for any other reason, including child no longer in need"
_SEMI_INDEPENDENT = (
    "D: Semi-independent, transitional accommodation and self-contained accommodation"
)


@dataclass
class Child:
    id: str
    gender: str
    ethnicity: str
    born: dt.date
    team: str = ""
    worker: str | None = None  # None: unallocated


class _Simulation:
    def __init__(self, seed: int, months: int, end: dt.date, contacts_per_month: int) -> None:
        self.rng = np.random.default_rng(seed)
        self.end = end
        first = end.replace(day=1)
        for _ in range(months - 1):
            first = (first - dt.timedelta(days=1)).replace(day=1)
        self.start = first
        self.scale = contacts_per_month
        self.children: list[Child] = []
        self.calendar = calendar_for(as_days([self.start - dt.timedelta(days=3000), end]))
        self.lists: dict[int, list[dict[str, object]]] = {n: [] for n in HEADERS}
        self._teams()

    # --- people ---

    def _name(self) -> str:
        rng = self.rng
        return (
            f"{_FIRST[rng.integers(len(_FIRST))]} "
            f"{_SYLLABLE[rng.integers(len(_SYLLABLE))]}{_ENDING[rng.integers(len(_ENDING))]}"
        )

    def _teams(self) -> None:
        c = self.scale
        kinds = {
            "Assessment Team": max(2, round(c / 700)),
            "Family Safeguarding Team": max(2, round(c / 450)),
            "Children in Care Team": max(1, round(c / 1100)),
            "Leaving Care Team": max(1, round(c / 2200)),
        }
        self.teams: dict[str, dict[str, list[str]]] = {}
        used: set[str] = set()
        for kind, count in kinds.items():
            self.teams[kind] = {}
            for i in range(count):
                team = f"{kind} {_AREAS[i % len(_AREAS)]}" + (
                    f" {i // len(_AREAS) + 1}" if i >= len(_AREAS) else ""
                )
                workers = []
                for _ in range(int(self.rng.integers(6, 10))):
                    name = self._name()
                    while name in used:
                        name = self._name()
                    used.add(name)
                    workers.append(name)
                self.teams[kind][team] = workers
        # Uneven weights so some workers carry far more than others, as in life.
        self.weights = {
            team: self.rng.gamma(2.0, 1.0, len(workers))
            for teams in self.teams.values()
            for team, workers in teams.items()
        }

    def allocate(self, child: Child, kind: str) -> None:
        teams = self.teams[kind]
        team = list(teams)[int(self.rng.integers(len(teams)))]
        weights = self.weights[team]
        worker = teams[team][int(self.rng.choice(len(weights), p=weights / weights.sum()))]
        child.team = team
        child.worker = None if self.rng.random() < 0.03 else worker

    def child(self, age_low: int = 0, age_high: int = 17) -> Child:
        rng = self.rng
        number = len(self.children) + 1
        age_days = int(rng.integers(age_low * 365, age_high * 365 + 364))
        born = self.end - dt.timedelta(days=age_days)
        child = Child(
            f"FICT-{number:06d}",
            _GENDERS[int(rng.integers(2))],
            _ETHNICITIES[int(rng.integers(len(_ETHNICITIES)))],
            born,
        )
        self.children.append(child)
        return child

    # --- dates ---

    def wd(self, day: dt.date, count: int) -> dt.date:
        return np.busday_offset(
            np.datetime64(day, "D"), count, roll="forward", busdaycal=self.calendar
        ).astype(dt.date)

    def day_in(self, first: dt.date, last: dt.date) -> dt.date:
        return first + dt.timedelta(days=int(self.rng.integers((last - first).days + 1)))

    def base(self, child: Child) -> dict[str, object]:
        age = (self.end - child.born).days // 365
        return {
            "Child Unique ID": child.id,
            "Gender": child.gender,
            "Ethnicity": child.ethnicity,
            "Date of Birth": child.born,
            "Age of Child (Years)": age,
            "Does the Child have a Disability": "b) No" if self.rng.random() < 0.9 else "a) Yes",
            "_child": child,
        }

    # --- the journey ---

    def run(self) -> None:
        rng = self.rng
        start, end = self.start, self.end
        per_day = self.scale * 12 / 250
        day = start
        referred: dict[str, list[dt.date]] = {}
        seen: set[tuple[str, dt.date]] = set()
        # A contact on the period's first and last working days, so the period is plain.
        edges = {
            self.wd(start, 0),
            np.busday_offset(
                np.datetime64(end, "D"), 0, roll="backward", busdaycal=self.calendar
            ).astype(dt.date),
        }
        while day <= end:
            weekday = day.weekday() < 5
            contacts = int(rng.poisson(per_day if weekday else per_day * 0.08))
            for _ in range(max(contacts, int(day in edges))):
                returning = referred and rng.random() < 0.12
                if returning:
                    child = self.children[int(rng.integers(len(self.children)))]
                if not returning or (child.id, day) in seen:
                    # Annex A holds no contact reference, so two contacts about one child on
                    # one day would be indistinguishable from a repeated row: not generated.
                    child = self.child()
                seen.add((child.id, day))
                self.lists[1].append(
                    self.base(child)
                    | {"Date of Contact": day, "Contact Source": _SOURCES[int(rng.integers(5))]}
                )
                if rng.random() < 0.28:
                    self.referral(child, day, referred)
            day += dt.timedelta(days=1)
        self.stock()
        self.care_leavers()

    def referral(self, child: Child, day: dt.date, referred: dict[str, list[dt.date]]) -> None:
        rng = self.rng
        before = [d for d in referred.get(child.id, []) if (day - d).days <= 365]
        from_earlier_years = int(rng.random() < 0.12)  # referrals before the workbook's period
        nfa = rng.random() < 0.1
        self.allocate(child, "Assessment Team")
        self.lists[3].append(
            self.base(child)
            | {
                "Date of Referral": day,
                "Referral Source": _SOURCES[int(rng.integers(5))],
                "Referral NFA?": "a) Yes" if nfa else "b) No",
                "Number of Referrals in Last 12 Months": 1 + len(before) + from_earlier_years,
            }
        )
        referred.setdefault(child.id, []).append(day)
        if nfa:
            return
        start = self.wd(day, int(rng.integers(0, 3)))
        if start > self.end:
            return
        late = rng.random() < 0.18
        duration = int(rng.integers(46, 75) if late else rng.integers(8, 46))
        authorised: dt.date | None = self.wd(start, duration)
        if authorised is not None and authorised > self.end:
            authorised = None
        support = rng.random() < 0.55
        self.lists[4].append(
            self.base(child)
            | {
                "Continuous Assessment Start Date": start,
                "Child Seen During Continuous Assessment": "a) Yes",
                "Continuous Assessment Date of Authorisation": authorised,
                "Was the child assessed as requiring LA children's social care support?": (
                    None if authorised is None else ("a) Yes" if support else "b) No")
                ),
            }
        )
        closure: dt.date | None
        if authorised is None:
            closure, status = None, "d) Open assessment"
        elif not support:
            closure, status = authorised, "e) Closed episode"
        else:
            closure = authorised + dt.timedelta(days=int(rng.integers(60, 400)))
            closure = None if closure > self.end else closure
            status = "c) Child in need plan" if closure is None else "e) Closed episode"
            if closure is None:
                self.allocate(child, "Family Safeguarding Team")
        cin: dict[str, object] = {
            "CIN Start Date": day,
            "CIN Closure Date": closure,
            "Case Status": status,
        }
        if rng.random() < 0.22:
            self.section47(child, self.wd(start, int(rng.integers(0, 6))), cin)
        self.cin(child, cin)

    def cin(self, child: Child, episode: dict[str, object]) -> None:
        rng = self.rng
        closure = episode["CIN Closure Date"]
        self.lists[6].append(
            self.base(child)
            | episode
            | {
                "Primary Need Code": "N1 - Abuse or neglect"
                if rng.random() < 0.6
                else "N4 - Family in acute stress",
                "Date Child Was Last Seen": self.end - dt.timedelta(days=int(rng.integers(0, 40)))
                if closure is None
                else closure,
                "Reason for Closure": None if closure is None else _CEASED,
            }
        )

    def section47(self, child: Child, strategy: dt.date, cin: dict[str, object]) -> None:
        rng = self.rng
        if strategy > self.end:
            return
        conference = rng.random() < 0.55
        icpc: dt.date | None = None
        if conference:
            late = rng.random() < 0.2
            icpc = self.wd(strategy, int(rng.integers(16, 30) if late else rng.integers(5, 16)))
            if icpc > self.end:
                icpc = None
        plan = icpc is not None and rng.random() < 0.85
        self.lists[5].append(
            self.base(child)
            | {
                "Strategy discussion initiating Section 47 Enquiry Start Date": strategy,
                "Was an Initial Child Protection Conference deemed unnecessary?": "b) No"
                if conference
                else "a) Yes",
                "Date of Initial Child Protection Conference": icpc,
                "Did the Initial Child Protection Conference Result in a Child Protection Plan": (
                    None if icpc is None else ("a) Yes" if plan else "b) No")
                ),
                "Number of Section 47 Enquiries in the last 12 months": 1,
                "Number of ICPCs in the last 12 months": int(icpc is not None),
            }
        )
        if plan and icpc is not None:
            self.allocate(child, "Family Safeguarding Team")
            cin.update({"CIN Closure Date": None, "Case Status": "b) Child Protection plan"})
            self.plan(child, icpc)

    def plan(self, child: Child, start: dt.date) -> None:
        rng = self.rng
        end_date: dt.date | None = start + dt.timedelta(days=int(rng.integers(90, 540)))
        if end_date is not None and end_date > self.end:
            end_date = None
        if end_date is None:
            # Most visits within the usual 10 working days; some overdue.
            gap = int(rng.integers(0, 10) if rng.random() < 0.82 else rng.integers(11, 25))
            visit = max(
                start,
                np.busday_offset(
                    np.datetime64(self.end, "D"), -gap, roll="backward", busdaycal=self.calendar
                ).astype(dt.date),
            )
        else:
            visit = end_date - dt.timedelta(days=int(rng.integers(1, 12)))
            visit = max(visit, start)
        self.lists[7].append(
            self.base(child)
            | {
                "Child Protection Plan Start Date": start,
                "Initial Category of Abuse": "a) Neglect",
                "Latest Category of Abuse": "a) Neglect",
                "Date of the Last Statutory Visit": visit,
                "Was the Child Seen Alone?": "a) Yes",
                "Date of latest review conference": None,
                "Child Protection Plan End Date": end_date,
                "Number of Previous Child Protection Plans": int(rng.random() < 0.2),
            }
        )

    def looked_after(self, child: Child, start: dt.date) -> None:
        rng = self.rng
        ceased: dt.date | None = None
        if rng.random() < 0.15:
            ceased = self.day_in(max(start, self.start), self.end)
            if ceased >= self.end:
                ceased = None
        last_day = ceased or self.end
        gap = int(rng.integers(0, 42) if rng.random() < 0.85 else rng.integers(43, 90))
        visit = max(start, last_day - dt.timedelta(days=gap))
        review: dt.date | None = None
        if (last_day - start).days > 30:
            review = max(
                start + dt.timedelta(days=20),
                last_day
                - dt.timedelta(days=int(rng.integers(0, 175 if rng.random() < 0.9 else 260))),
            )
            review = min(review, last_day)
        self.lists[8].append(
            self.base(child)
            | {
                "Date Started to be Looked After": start,
                "Child's Category of Need": "N1 - Abuse or neglect",
                "Is this a second or subsequent period of being a Looked After Child within the "
                "last 12 months (Y/N)": "b) No",
                "Child's Legal Status": "C2: FCO",
                "Date of Latest Statutory Review": review,
                "Date of Last Social Work Visit": visit,
                "Date of Last IRO Visit / Contact to the Child": review,
                "Number of Placements in the Last 12 months": int(rng.integers(1, 4)),
                "Date Ceased to be Looked After": ceased,
                "Reason Ceased to be Looked After": None
                if ceased is None
                else "e) E4A: Returned home to live with parents or relatives - part of planning",
                "Placement Type": "f) U6: Foster placement - not FFA",
                "Placement Location": "a) In",
            }
        )

    def stock(self) -> None:
        """Cases open before the period began: children in need, on plans and in care."""
        rng = self.rng
        c = self.scale
        for _ in range(int(c * 0.35)):
            child = self.child()
            self.allocate(child, "Family Safeguarding Team")
            opened = self.start - dt.timedelta(days=int(rng.integers(1, 900)))
            closure = self.day_in(self.start, self.end + dt.timedelta(days=400))
            closure_date = None if closure > self.end else closure
            self.cin(
                child,
                {
                    "CIN Start Date": opened,
                    "CIN Closure Date": closure_date,
                    "Case Status": "c) Child in need plan"
                    if closure_date is None
                    else "e) Closed episode",
                },
            )
        for _ in range(int(c * 0.12)):
            child = self.child()
            self.allocate(child, "Family Safeguarding Team")
            started = self.start - dt.timedelta(days=int(rng.integers(1, 400)))
            self.plan(child, started)
            self.cin(
                child,
                {
                    "CIN Start Date": started - dt.timedelta(days=30),
                    "CIN Closure Date": None,
                    "Case Status": "b) Child Protection plan",
                },
            )
        for _ in range(int(c * 0.2)):
            child = self.child()
            self.allocate(child, "Children in Care Team")
            started = self.start - dt.timedelta(days=int(rng.integers(1, 2500)))
            self.looked_after(child, started)
            self.cin(
                child,
                {
                    "CIN Start Date": started,
                    "CIN Closure Date": None,
                    "Case Status": "a) Looked after child",
                },
            )
        for _ in range(max(1, int(c * 0.02 * self.months()))):
            child = self.child()
            self.allocate(child, "Children in Care Team")
            started = self.day_in(self.start, self.end)
            self.looked_after(child, started)
            self.cin(
                child,
                {
                    "CIN Start Date": started,
                    "CIN Closure Date": None,
                    "Case Status": "a) Looked after child",
                },
            )

    def months(self) -> int:
        return (self.end.year - self.start.year) * 12 + self.end.month - self.start.month + 1

    def care_leavers(self) -> None:
        rng = self.rng
        for _ in range(int(self.scale * 0.16)):
            child = self.child(17, 21)
            self.allocate(child, "Leaving Care Team")
            in_touch = rng.random() < 0.9
            eet = rng.random() < 0.6
            self.lists[9].append(
                self.base(child)
                | {
                    "Eligibility Category": "b) Former relevant child",
                    "LA in Touch": "a) Yes"
                    if in_touch
                    else ("b) No" if rng.random() < 0.5 else "NREQ"),
                    "Latest Pathway Plan Review Date": self.end
                    - dt.timedelta(days=int(rng.integers(0, 180))),
                    "Type of Accommodation": _SEMI_INDEPENDENT,
                    "Suitability of Accommodation": "a) Suitable"
                    if rng.random() < 0.88
                    else "b) Unsuitable",
                    "Activity Status": (_EET if eet else _NEET)[int(rng.integers(3))],
                }
            )

    def in_period(self) -> dict[int, list[dict[str, object]]]:
        """What each list holds for the period, as Ofsted asks."""
        start, end = self.start, self.end

        def open_during(row: dict[str, object], first: str, last: str) -> bool:
            s, e = row[first], row[last]
            return s is not None and s <= end and (e is None or e >= start)  # type: ignore[operator]

        kept = {
            1: self.lists[1],
            3: self.lists[3],
            4: [
                r
                for r in self.lists[4]
                if _on_or_after(r["Continuous Assessment Date of Authorisation"], start)
            ],
            5: self.lists[5],
            6: [r for r in self.lists[6] if open_during(r, "CIN Start Date", "CIN Closure Date")],
            7: [
                r
                for r in self.lists[7]
                if open_during(
                    r, "Child Protection Plan Start Date", "Child Protection Plan End Date"
                )
            ],
            8: [
                r
                for r in self.lists[8]
                if open_during(
                    r, "Date Started to be Looked After", "Date Ceased to be Looked After"
                )
            ],
            9: self.lists[9],
        }
        for rows in kept.values():
            for row in rows:
                child = row["_child"]
                assert isinstance(child, Child)
                row["Allocated Team"] = child.team
                row["Allocated Worker"] = child.worker
        return kept


def _on_or_after(day: object, start: dt.date) -> bool:
    """Still open (no date) or dated on or after ``start``."""
    return day is None or (isinstance(day, dt.date) and day >= start)
