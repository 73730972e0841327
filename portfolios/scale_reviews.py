"""The assessment half of the scale data set (portfolios/scale.py): reviews with their
judgements and citations, strengths, suitability and learning needs, concerns with action
plans, panel meetings and stored reports, in the order the locks allow."""

import datetime
from collections import defaultdict

from django.db.models import F

from assessments import demo_narratives
from assessments import demo_report as demo_final
from assessments.models import (
    ActionTarget,
    Concern,
    Judgement,
    JudgementEvidence,
    LearningNeed,
    PanelMeeting,
    Review,
    SignedReport,
    Strength,
    Suitability,
)
from assessments.report.data import report_data_for
from assessments.report.pdf import render_pdf
from portfolios import demo_data as demo_text
from portfolios.models import Evidence, Placement
from portfolios.scale import (
    BATCH,
    SIGNED_STATUSES,
    _batched,
    _moment,
    _uuid,
    _write_rows,
    store_report_copy,
    verify_url,
)

S = Placement.Status
RS = Review.Status
# The review status each placement status leaves its final review in.
FINAL_STATUS = {
    S.FINAL_REVIEW_SIGNED: RS.SIGNED,
    S.STUDENT_ACKNOWLEDGED: RS.ACKNOWLEDGED,
    S.COUNTERSIGNED: RS.COUNTERSIGNED,
    S.RATIFIED: RS.RATIFIED,
}
# The stored reports a final review has at each status: one per sign-off step so far.
EVENTS = [
    SignedReport.Event.SIGNED,
    SignedReport.Event.ACKNOWLEDGED,
    SignedReport.Event.COUNTERSIGNED,
    SignedReport.Event.RATIFIED,
]
EVENTS_AT = {
    RS.SIGNED: EVENTS[:1],
    RS.ACKNOWLEDGED: EVENTS[:2],
    RS.COUNTERSIGNED: EVENTS[:3],
    RS.RATIFIED: EVENTS,
}
CONCERN_TARGET = (
    "Show this consistently over the next four weeks, with examples brought to supervision."
)


class ReviewBuilder:
    def __init__(self, university, plans):
        self.u = university
        self.plans = plans
        self.rng = university.rng
        self.reviews: list[Review] = []
        self.judgements: list[Judgement] = []
        self.citations: list[JudgementEvidence] = []
        self.strengths: list[Strength] = []
        self.strength_domains: list = []
        self.suitability: list[Suitability] = []
        self.needs: list[LearningNeed] = []
        self.history: dict[type, list] = defaultdict(list)
        self.locked: list[Review] = []

    # --- Planning (in memory) ---------------------------------------------------------------

    def plan(self) -> None:
        """Decide every review and what it cites, and set the lock on cited evidence, before
        anything is written."""
        self.meetings = self.panel_meetings()
        for plan in self.plans:
            p = plan.placement
            midpoint_day = min(
                p.start_date + (p.end_date - p.start_date) / 2, self.u.today
            ) + datetime.timedelta(days=self.rng.randint(0, 6))
            midpoint_day = min(midpoint_day, self.u.today)
            if plan.midpoint:
                self.review(
                    plan, Review.Kind.MIDPOINT, midpoint_day, signed=plan.midpoint == "signed"
                )
            if plan.status in SIGNED_STATUSES:
                self.review(plan, Review.Kind.FINAL, plan.days[S.FINAL_REVIEW_SIGNED], signed=True)
            elif plan.draft_final:
                self.review(plan, Review.Kind.FINAL, self.u.today, signed=False)

    def panel_meetings(self) -> list[PanelMeeting]:
        today = self.u.today
        days = [today - datetime.timedelta(days=14 + 28 * n) for n in range(10)]
        meetings = [
            PanelMeeting(
                id=_uuid(self.rng),
                university=self.u.uni,
                date=day,
                created_by=self.u.coordinators[0],
            )
            for day in days
        ]
        PanelMeeting.objects.bulk_create(meetings)
        through = PanelMeeting.members_present.through
        through.objects.bulk_create(
            through(panelmeeting_id=m.pk, user_id=member.pk)
            for m in meetings
            for member in self.u.panel
        )
        self.u.counts["panel meeting"] += len(meetings)
        return meetings

    def meeting_for(self, day: datetime.date) -> PanelMeeting:
        held = [m for m in self.meetings if m.date >= day]
        return min(held, key=lambda m: m.date) if held else self.meetings[0]

    def review(self, plan, kind: str, day: datetime.date, *, signed: bool) -> None:
        rng, p = self.rng, plan.placement
        midpoint = kind == Review.Kind.MIDPOINT
        name = p.student.first_name
        review = Review(
            id=_uuid(rng),
            placement_id=p.pk,
            kind=kind,
            status=RS.DRAFT,
            summary=rng.choice(
                demo_text.MIDPOINT_SUMMARIES if midpoint else demo_text.FINAL_SUMMARIES
            ).format(name=name),
        )
        if midpoint:
            review.midpoint_outcome = (
                Review.MidpointOutcome.CONCERNS if plan.concern else Review.MidpointOutcome.ON_TRACK
            )
        else:
            review.recommendation = Review.Recommendation.PASS
            review.recommendation_justification = demo_text.RECOMMENDATION_PASS
            if p.supervisor_id and signed:
                review.supervisor_statement = rng.choice(demo_final.STATEMENTS).format(
                    name=name, pronoun="their"
                )
                review.supervisor_statement_at = _moment(day - datetime.timedelta(days=3), 14, rng)
        drafted = _moment(day - datetime.timedelta(days=rng.randint(3, 10)), 16, rng)
        self.history[Review].append((review, "+", drafted, p.educator_id, _draft_review()))
        if signed:
            self.sign(plan, review, day)
        self.reviews.append(review)
        self.content(plan, review, day, midpoint=midpoint, drafted=drafted, complete=signed)

    def sign(self, plan, review: Review, day: datetime.date) -> None:
        """The sign-off chain so far: signed, then each later step on its own day."""
        rng, p = self.rng, plan.placement
        midpoint = review.kind == Review.Kind.MIDPOINT
        signed_at = _moment(day, 15, rng)
        review.status = RS.SIGNED
        review.signed_by_id = p.educator_id
        review.signed_at = signed_at
        self.locked.append(review)
        # What each step's save left: the chain's fields as they stood after that step.
        state = {**_draft_review(), "status": RS.SIGNED, "signed_by_id": p.educator_id}
        state |= {"signed_at": signed_at, "locked_at": signed_at}
        steps = [(signed_at, p.educator_id, dict(state))]
        target = RS.ACKNOWLEDGED if midpoint else FINAL_STATUS[plan.status]
        order = [RS.ACKNOWLEDGED, RS.COUNTERSIGNED, RS.RATIFIED]
        days = plan.days
        for status in order[: order.index(target) + 1] if target != RS.SIGNED else []:
            if status == RS.ACKNOWLEDGED:
                when = (
                    _moment(day + datetime.timedelta(days=2), 18, rng)
                    if midpoint
                    else _moment(days[S.STUDENT_ACKNOWLEDGED], 18, rng)
                )
                review.acknowledged_at = when
                review.student_comment = rng.choice(demo_text.STUDENT_ACK_COMMENTS)
                state |= {"acknowledged_at": when, "student_comment": review.student_comment}
                who = p.student_id
            elif status == RS.COUNTERSIGNED:
                when = _moment(days[S.COUNTERSIGNED], 11, rng)
                review.countersigned_by_id = p.tutor_id
                review.countersigned_at = when
                state |= {"countersigned_by_id": p.tutor_id, "countersigned_at": when}
                who = p.tutor_id
            else:
                when = _moment(days[S.RATIFIED], 13, rng)
                review.panel_by_id = who = self.u.panel[0].pk
                review.panel_at = when
                review.panel_meeting = self.meeting_for(days[S.RATIFIED])
                state |= {"panel_by_id": who, "panel_at": when}
                state["panel_meeting_id"] = review.panel_meeting.pk
            review.status = state["status"] = status
            steps.append((when, who, dict(state)))
        for when, user_id, then in steps:
            self.history[Review].append((review, "~", when, user_id, then))

    def content(self, plan, review, day, *, midpoint, drafted, complete) -> None:
        rng, p = self.rng, plan.placement
        domains = self.u.domains
        if not complete and midpoint:
            domains = domains[: max(1, len(domains) * 2 // 3)]  # two-thirds written
        values = sorted(self.u.shared.grades[p.grading_scale_id])
        pass_value = self.u.shared.pass_values[p.grading_scale_id]
        grades = demo_narratives.grades_for(
            values, pass_value, [d.code for d in domains], midpoint=midpoint, rng=rng
        )
        lock_at = review.signed_at
        for domain in domains:
            available = [e for e in plan.mapped.get(domain.pk, []) if e.practice_date <= day]
            if review.signed_at:
                available = [e for e in available if e.status == Evidence.Status.ACCEPTED]
            cited = rng.sample(available, min(len(available), rng.choice([2, 3, 3, 4])))
            cited.sort(key=lambda e: e.practice_date)
            value = grades[domain.code]
            judgement = Judgement(
                review_id=review.pk,
                domain_id=domain.pk,
                grade_id=self.u.shared.grades[p.grading_scale_id][value],
                narrative=demo_narratives.narrative(
                    code=domain.code,
                    name=p.student.first_name,
                    value=value,
                    pass_value=pass_value,
                    midpoint=midpoint,
                    cited=cited,
                    rng=rng,
                ),
            )
            self.judgements.append(judgement)
            self.history[Judgement].append((judgement, "+", drafted, p.educator_id, {}))
            for order, evidence in enumerate(cited):
                self.citations.append((judgement, evidence.pk, order))
                if lock_at and (evidence.locked_at is None or evidence.locked_at > lock_at):
                    evidence.locked_at = lock_at
        if midpoint:
            return
        for text in rng.sample(demo_text.STRENGTHS, 2):
            strength = Strength(review_id=review.pk, text=text)
            strength._domains = rng.sample(self.u.domains, 2)
            self.strengths.append(strength)
            self.history[Strength].append((strength, "+", drafted, p.educator_id, {}))
        ratings = [r.value for r in Suitability.Rating]
        for area in self.u.programme_areas:
            rating = rng.choices(ratings, [5, 3, 1, 1])[0]
            suitability = Suitability(
                review_id=review.pk,
                practice_area_id=area.pk,
                rating=rating,
                rationale="" if rating == "not_observed" else _rationale(area.name, rating),
            )
            self.suitability.append(suitability)
            self.history[Suitability].append((suitability, "+", drafted, p.educator_id, {}))
        for area, development, support in rng.sample(demo_final.LEARNING_NEEDS, 2):
            need = LearningNeed(
                review_id=review.pk, area=area, development=development, support=support
            )
            self.needs.append(need)
            self.history[LearningNeed].append((need, "+", drafted, p.educator_id, {}))

    # --- Writing ----------------------------------------------------------------------------

    def save(self) -> None:
        """Reviews unlocked, then their content, then the signature's lock: the triggers
        refuse content added to a review already locked."""
        u = self.u
        _batched(Review, self.reviews, u.counts, "review")
        ids = u.shared.ids
        for judgement, pk in zip(
            self.judgements, ids.take(Judgement, len(self.judgements)), strict=True
        ):
            judgement.pk = pk
        _batched(Judgement, self.judgements, u.counts, "judgement")
        citations = [(j.pk, evidence_id, order) for j, evidence_id, order in self.citations]
        _write_rows(
            JudgementEvidence,
            ["judgement_id", "evidence_id", "order"],
            citations,
            u.counts,
            "citation",
        )
        for strength, pk in zip(
            self.strengths, ids.take(Strength, len(self.strengths)), strict=True
        ):
            strength.pk = pk
        _batched(Strength, self.strengths, u.counts, "strength")
        links = [(s.pk, d.pk) for s in self.strengths for d in s._domains]
        _write_rows(
            Strength.domains.through,
            ["strength_id", "domain_id"],
            links,
            u.counts,
            "strength domain",
        )
        _batched(Suitability, self.suitability, u.counts, "suitability")
        _batched(LearningNeed, self.needs, u.counts, "learning need")
        ids = [r.pk for r in self.locked]
        for start in range(0, len(ids), BATCH):
            Review.objects.filter(pk__in=ids[start : start + BATCH]).update(
                locked_at=F("signed_at")
            )
        for review in self.locked:
            review.locked_at = review.signed_at
        for model, entries in self.history.items():
            u.history_rows(model, entries)

    def concerns(self) -> None:
        rng, u = self.rng, self.u
        concerns, links, targets, history = [], [], [], []
        through = Concern.domains.through
        for plan in self.plans:
            if not plan.concern:
                continue
            p = plan.placement
            raised_day = min(p.start_date + datetime.timedelta(days=rng.randint(20, 50)), u.today)
            still_open = plan.status == S.ACTIVE and rng.random() < 0.7
            outcome = Concern.Outcome.OPEN if still_open else Concern.Outcome.RESOLVED
            if plan.status == S.TERMINATED:
                outcome = Concern.Outcome.ESCALATED
            concern = Concern(
                id=_uuid(rng),
                placement_id=p.pk,
                raised_by_id=p.educator_id,
                description=demo_text.CONCERN,
                review_date=raised_day + datetime.timedelta(days=28),
                outcome=outcome,
            )
            if outcome != Concern.Outcome.OPEN:
                concern.outcome_note = (
                    "Targets met: records are up to date and supervision attended."
                    if outcome == Concern.Outcome.RESOLVED
                    else "Targets not met; referred to the tutor and coordinator."
                )
                concern.outcome_by_id = p.educator_id
                concern.outcome_at = _moment(concern.review_date, 14, rng)
            concerns.append(concern)
            raised = _moment(raised_day, 16, rng)
            history.append((concern, "+", raised, p.educator_id, _open_concern()))
            if concern.outcome_at:
                history.append((concern, "~", concern.outcome_at, p.educator_id, {}))
            for domain in rng.sample(u.domains, 2):
                links.append((concern.pk, domain.pk))
                target = demo_text.CONCERN_TARGETS.get(domain.code, CONCERN_TARGET)
                targets.append(
                    ActionTarget(concern_id=concern.pk, domain_id=domain.pk, target=target)
                )
        _batched(Concern, concerns, u.counts, "concern")
        _write_rows(through, ["concern_id", "domain_id"], links, u.counts, "concern domain")
        _batched(ActionTarget, targets, u.counts, "action target")
        u.history_rows(Concern, history)

    def reports(self) -> None:
        """One stored report per sign-off step of every final review, each a distinct copy of
        the report rendered once for its shape."""
        u = self.u
        rows = []
        finals = [r for r in self.locked if r.kind == Review.Kind.FINAL]
        try:
            for review in finals:
                for version, event in enumerate(EVENTS_AT[review.status], start=1):
                    code = self.code()
                    pdf = u.shared.pdfs.get((u.key, event))
                    if pdf is None:
                        pdf = render_pdf(
                            report_data_for(review),
                            verification_code=code,
                            verify_url=verify_url(),
                            report_version=version,
                        )
                        u.shared.pdfs[(u.key, event)] = pdf
                    rows.append(
                        store_report_copy(
                            pdf,
                            review=review,
                            version=version,
                            event=event,
                            code=code,
                            tag=f"{review.pk}/{version}",
                        )
                    )
            _batched(SignedReport, rows, u.counts, "signed report")
        except BaseException:
            for report in rows:
                report.pdf.storage.delete(report.pdf.name)
            raise

    def code(self) -> str:
        from assessments.report.store import CODE_ALPHABET

        codes = self.u.shared.codes
        while True:
            raw = "".join(self.rng.choice(CODE_ALPHABET) for _ in range(8))
            code = f"{raw[:4]}-{raw[4:]}"
            if code not in codes:
                codes.add(code)
                return code


def _rationale(area: str, rating: str) -> str:
    return {
        "well_suited": f"Confident, well-organised work in {area.lower()}; trusted by colleagues.",
        "with_support": f"Ready for {area.lower()} with regular supervision in the first year.",
        "not_at_present": f"Not yet the experience {area.lower()} needs; revisit in the ASYE.",
    }[rating]


def _draft_review() -> dict:
    return {
        "status": RS.DRAFT,
        "signed_by_id": None,
        "signed_at": None,
        "locked_at": None,
        "acknowledged_at": None,
        "student_comment": "",
        "countersigned_by_id": None,
        "countersigned_at": None,
        "panel_by_id": None,
        "panel_at": None,
        "panel_meeting_id": None,
    }


def _open_concern() -> dict:
    return {
        "outcome": Concern.Outcome.OPEN,
        "outcome_note": "",
        "outcome_by_id": None,
        "outcome_at": None,
    }
