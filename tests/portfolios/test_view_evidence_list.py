"""The evidence list and the coverage matrix of a placement: who sees them, what drafts count
for whom, and a fixed number of queries however much evidence there is."""

import datetime
import uuid

import lxml.html
import pytest
from django.urls import reverse
from django.utils import timezone

from portfolios import services
from portfolios.models import Evidence, EvidenceComment, EvidenceFile, EvidenceMapping
from portfolios.services.evidence import MappingInput

PERMITTED = ["student", "educator", "supervisor", "tutor", "coordinator", "panel"]
STRANGERS = ["other_student", "other_educator", "other_tutor", "other_coordinator"]
LOGIN = reverse("accounts:login")
Kind = Evidence.Kind

# The most queries each page may run, whatever the amount of evidence. Both: session, user,
# roles, the placement. The list: two permission checks (two queries each), the count for the
# pages, the page's evidence (its comments and files counted in the same query) and its
# mappings. The coverage: one grouped count and the domains.
EVIDENCE_LIST_QUERIES = 11
COVERAGE_QUERIES = 7  # with the count of the user's own drafts


def list_url(placement) -> str:
    return reverse("portfolios:evidence-list", kwargs={"pk": placement.pk})


def coverage_url(placement) -> str:
    return reverse("portfolios:coverage", kwargs={"pk": placement.pk})


def a_day_ago() -> datetime.date:
    return timezone.localdate() - datetime.timedelta(days=1)


def draft(cast, *, title="Reflection on a home visit", kind=Kind.CRITICAL_REFLECTION, domains=(1,)):
    by_order = {d.order: d for d in cast.placement.framework.domains.all()}
    return services.evidence_create(
        actor=cast.student,
        placement=cast.placement,
        kind=kind,
        title=title,
        practice_date=a_day_ago(),
        reflection="I listened more than I spoke.",
        mappings=[MappingInput(by_order[n], "It shows it.") for n in domains],
        details={"attendees": "My educator and I"} if kind == Kind.SUPERVISION else {},
    )


def submitted(cast, **kwargs) -> Evidence:
    return services.evidence_submit(actor=cast.student, evidence=draft(cast, **kwargs))


def add_submitted_evidence(cast, count: int, *, start: int = 0) -> None:
    """`count` submitted items in a handful of queries, each with two mappings, a file and a
    comment, so any per-row query on the list would multiply."""
    domains = list(cast.placement.framework.domains.all())
    kinds = Kind.values
    now = timezone.now()
    items = Evidence.objects.bulk_create(
        Evidence(
            placement=cast.placement,
            kind=kinds[i % len(kinds)],
            title=f"Evidence item {i}",
            practice_date=a_day_ago() - datetime.timedelta(days=i % 50),
            status=Evidence.Status.SUBMITTED,
            submitted_at=now,
            created_by=cast.student,
        )
        for i in range(start, start + count)
    )
    EvidenceMapping.objects.bulk_create(
        EvidenceMapping(evidence=item, domain=domains[(i + step) % len(domains)], note="Shows it.")
        for i, item in enumerate(items)
        for step in (0, 1)
    )
    EvidenceFile.objects.bulk_create(
        EvidenceFile(
            evidence=item,
            file=f"evidence/{cast.placement.pk}/{uuid.uuid4().hex}.txt",
            original_name="notes.txt",
            content_type="text/plain",
            extension=".txt",
            size=12,
            sha256="0" * 64,
            uploaded_by=cast.student,
        )
        for item in items
    )
    EvidenceComment.objects.bulk_create(
        EvidenceComment(evidence=item, author=cast.educator, text="Good.") for item in items
    )


def coverage_table(response) -> dict[str, dict]:
    """Each row of the coverage matrix by domain name: its classes, its text and its counts."""
    page = lxml.html.fromstring(response.content.decode())
    rows = {}
    for tr in page.xpath("//table[contains(@class, 'coverage')]/tbody/tr"):
        heading = tr.xpath("th")[0]
        name = heading.text.strip().split(". ", 1)[1]
        rows[name] = {
            "classes": (tr.get("class") or "").split(),
            "text": heading.text_content(),
            "counts": [int(td.text_content()) for td in tr.xpath("td")],
        }
    return rows


def kind_column(kind: str) -> int:
    return Kind.values.index(kind)


# --- The evidence list ------------------------------------------------------------------------


@pytest.mark.parametrize("who", PERMITTED)
def test_the_placements_people_and_its_universitys_staff_see_submitted_evidence(client, cast, who):
    item = submitted(cast, title="Visit to Mr A")
    client.force_login(getattr(cast, who))
    response = client.get(list_url(cast.placement))
    assert response.status_code == 200
    assert item.get_absolute_url() in response.content.decode()


@pytest.mark.parametrize("who", STRANGERS)
def test_it_hides_the_list_from_another_universitys_people(client, cast, who):
    submitted(cast, title="Visit to Mr A")
    client.force_login(getattr(cast, who))
    response = client.get(list_url(cast.placement))
    assert response.status_code == 404
    assert "Visit to Mr A" not in response.content.decode()


def test_an_anonymous_visitor_is_sent_to_sign_in_from_the_list(client, cast):
    url = list_url(cast.placement)
    response = client.get(url)
    assert response.status_code == 302
    assert response.url == f"{LOGIN}?next={url}"


def test_an_unknown_placement_has_no_evidence_list(client, cast):
    client.force_login(cast.coordinator)
    url = reverse("portfolios:evidence-list", kwargs={"pk": uuid.uuid4()})
    assert client.get(url).status_code == 404


def test_the_student_sees_their_own_drafts_in_the_list(client, cast):
    item = draft(cast, title="Half-written reflection")
    client.force_login(cast.student)
    html = client.get(list_url(cast.placement)).content.decode()
    assert item.get_absolute_url() in html
    assert "Half-written reflection" in html


@pytest.mark.parametrize("who", ["educator", "supervisor", "tutor", "coordinator", "panel"])
def test_nobody_else_sees_the_students_drafts_in_the_list(client, cast, who):
    hidden = draft(cast, title="Half-written reflection")
    shown = submitted(cast, title="Finished reflection")
    client.force_login(getattr(cast, who))
    response = client.get(list_url(cast.placement))
    html = response.content.decode()
    assert "Half-written reflection" not in html
    assert hidden.get_absolute_url() not in html
    assert shown.get_absolute_url() in html
    assert list(response.context["items"]) == [shown]


def test_the_list_filters_by_kind(client, cast):
    reflection = submitted(cast, title="A reflection", kind=Kind.CRITICAL_REFLECTION)
    supervision = submitted(cast, title="Week 3 supervision", kind=Kind.SUPERVISION)
    client.force_login(cast.educator)
    response = client.get(list_url(cast.placement), {"kind": Kind.SUPERVISION})
    assert response.status_code == 200
    html = response.content.decode()
    assert supervision.get_absolute_url() in html
    assert reflection.get_absolute_url() not in html
    assert f'<option value="{Kind.SUPERVISION}" selected>' in html


@pytest.mark.parametrize(
    "kind", ["nonsense", "<script>alert(1)</script>", "DRAFT", "supervision'--", "%00", " "]
)
def test_an_unknown_kind_in_the_address_shows_every_kind_rather_than_failing(client, cast, kind):
    reflection = submitted(cast, title="A reflection", kind=Kind.CRITICAL_REFLECTION)
    supervision = submitted(cast, title="Week 3 supervision", kind=Kind.SUPERVISION)
    client.force_login(cast.student)
    response = client.get(list_url(cast.placement), {"kind": kind})
    assert response.status_code == 200
    html = response.content.decode()
    assert reflection.get_absolute_url() in html
    assert supervision.get_absolute_url() in html
    assert "<script>alert(1)</script>" not in html


def test_only_the_student_is_offered_to_add_evidence(client, cast):
    add = reverse("portfolios:evidence-create", kwargs={"pk": cast.placement.pk})
    client.force_login(cast.student)
    assert add in client.get(list_url(cast.placement)).content.decode()
    for who in ("educator", "supervisor", "tutor", "coordinator", "panel"):
        client.force_login(getattr(cast, who))
        assert add not in client.get(list_url(cast.placement)).content.decode(), who


def test_the_list_shows_each_items_domains_files_and_comments(client, cast):
    add_submitted_evidence(cast, 1)
    client.force_login(cast.tutor)
    html = client.get(list_url(cast.placement)).content.decode()
    assert "Evidence item 0" in html
    assert '<span class="visually-hidden">Domain 1</span>' in html
    assert 'title="Domain 1" aria-hidden="true">1</span>' in html
    assert 'title="Domain 2" aria-hidden="true">2</span>' in html
    assert "1 comment<" in html


@pytest.mark.parametrize("who", ["student", "educator"])
def test_the_evidence_list_runs_the_same_queries_for_10_and_for_1000_items(
    client, cast, who, django_assert_max_num_queries
):
    add_submitted_evidence(cast, 10)
    client.force_login(getattr(cast, who))
    url = list_url(cast.placement)
    client.get(url)  # fills the caches any page fills once (content types)
    with django_assert_max_num_queries(EVIDENCE_LIST_QUERIES) as with_ten:
        response = client.get(url)
    assert len(response.context["items"]) == 10

    add_submitted_evidence(cast, 990, start=10)
    with django_assert_max_num_queries(len(with_ten)) as with_thousand:
        response = client.get(url, {"page": "20"})
    assert len(response.context["items"]) == 50
    assert "Page 20 of 20" in response.content.decode()
    assert len(with_thousand) == len(with_ten)


def test_the_list_shows_50_items_a_page_newest_first_and_keeps_the_kind_on_every_page(client, cast):
    add_submitted_evidence(cast, 120)
    client.force_login(cast.educator)
    first = client.get(list_url(cast.placement))
    dates = [item.practice_date for item in first.context["items"]]
    assert len(dates) == 50
    assert dates == sorted(dates, reverse=True)
    html = first.content.decode()
    assert "Page 1 of 3" in html
    assert 'href="?page=2"' in html

    kind = Kind.values[0]
    filtered = client.get(list_url(cast.placement), {"kind": kind, "page": "1"})
    expected = Evidence.objects.filter(placement=cast.placement, kind=kind).count()
    assert filtered.context["page"].paginator.count == expected
    assert all(item.kind == kind for item in filtered.context["items"])


def test_the_pages_of_the_list_hold_every_item_once(client, cast):
    add_submitted_evidence(cast, 120)
    client.force_login(cast.student)
    seen = []
    for page in ("1", "2", "3"):
        seen += [
            item.pk
            for item in client.get(list_url(cast.placement), {"page": page}).context["items"]
        ]
    assert len(seen) == 120
    assert set(seen) == set(
        Evidence.objects.filter(placement=cast.placement).values_list("pk", flat=True)
    )


def test_a_page_past_the_end_of_the_list_shows_the_last_page(client, cast):
    add_submitted_evidence(cast, 60)
    client.force_login(cast.student)
    response = client.get(list_url(cast.placement), {"page": "99"})
    assert response.status_code == 200
    assert response.context["page"].number == 2
    assert len(response.context["items"]) == 10


def test_the_list_does_not_load_the_reflections(client, cast):
    add_submitted_evidence(cast, 3)
    client.force_login(cast.educator)
    items = client.get(list_url(cast.placement)).context["items"]
    assert all("reflection" in item.get_deferred_fields() for item in items)


# --- The coverage matrix ----------------------------------------------------------------------


@pytest.mark.parametrize("who", PERMITTED)
def test_the_placements_people_and_its_universitys_staff_see_the_coverage(client, cast, who):
    client.force_login(getattr(cast, who))
    response = client.get(coverage_url(cast.placement))
    assert response.status_code == 200
    assert "Coverage of the domains" in response.content.decode()


@pytest.mark.parametrize("who", STRANGERS)
def test_it_hides_the_coverage_from_another_universitys_people(client, cast, who):
    client.force_login(getattr(cast, who))
    response = client.get(coverage_url(cast.placement))
    assert response.status_code == 404
    assert cast.student.display_name not in response.content.decode()


def test_an_anonymous_visitor_is_sent_to_sign_in_from_the_coverage(client, cast):
    url = coverage_url(cast.placement)
    response = client.get(url)
    assert response.status_code == 302
    assert response.url == f"{LOGIN}?next={url}"


def test_the_coverage_counts_each_item_under_every_domain_it_is_mapped_to_by_kind(client, cast):
    submitted(cast, title="Reflection one", kind=Kind.CRITICAL_REFLECTION, domains=(1,))
    submitted(cast, title="Reflection two", kind=Kind.CRITICAL_REFLECTION, domains=(1, 3))
    submitted(cast, title="Home visit observed", kind=Kind.DIRECT_OBSERVATION, domains=(1, 2))
    client.force_login(cast.educator)
    rows = coverage_table(client.get(coverage_url(cast.placement)))

    one = rows["Domain 1"]["counts"]
    assert one[kind_column(Kind.CRITICAL_REFLECTION)] == 2
    assert one[kind_column(Kind.DIRECT_OBSERVATION)] == 1
    assert one[-1] == 3  # the total
    assert sum(one[:-1]) == 3
    assert rows["Domain 2"]["counts"][kind_column(Kind.DIRECT_OBSERVATION)] == 1
    assert rows["Domain 2"]["counts"][-1] == 1
    assert rows["Domain 3"]["counts"][kind_column(Kind.CRITICAL_REFLECTION)] == 1
    assert rows["Domain 4"]["counts"] == [0] * (len(Kind.values) + 1)
    assert len(rows) == 9


def test_a_domain_with_no_evidence_is_marked_as_a_gap(client, cast):
    submitted(cast, kind=Kind.CRITICAL_REFLECTION, domains=(1,))
    submitted(cast, title="Observed visit", kind=Kind.DIRECT_OBSERVATION, domains=(1,))
    client.force_login(cast.student)
    rows = coverage_table(client.get(coverage_url(cast.placement)))
    assert "coverage-gap" in rows["Domain 5"]["classes"]
    assert "No evidence yet" in rows["Domain 5"]["text"]
    assert "coverage-gap" not in rows["Domain 1"]["classes"]
    assert "No evidence yet" not in rows["Domain 1"]["text"]


def test_a_domain_evidenced_by_one_kind_of_source_only_is_flagged(client, cast):
    submitted(cast, title="Reflection one", kind=Kind.CRITICAL_REFLECTION, domains=(1, 2))
    submitted(cast, title="Reflection two", kind=Kind.CRITICAL_REFLECTION, domains=(2,))
    submitted(cast, title="Observed visit", kind=Kind.DIRECT_OBSERVATION, domains=(1,))
    client.force_login(cast.tutor)
    rows = coverage_table(client.get(coverage_url(cast.placement)))
    # Two reflections are still one kind of source.
    assert "coverage-single" in rows["Domain 2"]["classes"]
    assert "One kind of source only" in rows["Domain 2"]["text"]
    assert "coverage-single" not in rows["Domain 1"]["classes"]
    assert "One kind of source only" not in rows["Domain 1"]["text"]
    assert "No evidence yet" not in rows["Domain 1"]["text"]


def test_everyone_sees_the_same_coverage_and_the_student_is_told_of_their_drafts(client, cast):
    draft(cast, title="Unfinished", kind=Kind.CASE_REVIEW, domains=(5,))
    pages = {}
    for who in ("student", "educator"):
        client.force_login(getattr(cast, who))
        response = client.get(coverage_url(cast.placement))
        pages[who] = response.content.decode()
        row = coverage_table(response)["Domain 5"]
        assert row["counts"][-1] == 0, who
        assert "coverage-gap" in row["classes"], who
    assert "your 1 draft (only you can see it) is not counted yet" in pages["student"]
    assert "only you can see" not in pages["educator"]


def test_the_coverage_counts_only_this_placements_evidence(client, cast):
    other = cast.other_placement
    services.evidence_create(
        actor=cast.other_student,
        placement=other,
        kind=Kind.CRITICAL_REFLECTION,
        title="Someone else's reflection",
        practice_date=a_day_ago(),
        mappings=[MappingInput(other.framework.domains.get(order=1), "Shows it.")],
    )
    client.force_login(cast.student)
    rows = coverage_table(client.get(coverage_url(cast.placement)))
    assert all(row["counts"][-1] == 0 for row in rows.values())


@pytest.mark.parametrize("who", ["student", "educator"])
def test_the_coverage_runs_the_same_queries_for_10_and_for_1000_items(
    client, cast, who, django_assert_max_num_queries
):
    add_submitted_evidence(cast, 10)
    client.force_login(getattr(cast, who))
    url = coverage_url(cast.placement)
    client.get(url)  # fills the caches any page fills once (content types)
    with django_assert_max_num_queries(COVERAGE_QUERIES) as with_ten:
        response = client.get(url)
    assert sum(row.total for row in response.context["rows"]) == 20

    add_submitted_evidence(cast, 990, start=10)
    with django_assert_max_num_queries(len(with_ten)) as with_thousand:
        response = client.get(url)
    assert sum(row.total for row in response.context["rows"]) == 2000
    assert len(with_thousand) == len(with_ten)
