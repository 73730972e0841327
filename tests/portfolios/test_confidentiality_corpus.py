"""The identifier check measured on a corpus of our own sentences: it must find at least 95% of
the identifiers marked in it, and raise a false alarm on fewer than 5% of sentences."""

import re
from dataclasses import dataclass
from pathlib import Path

import pytest

from portfolios.confidentiality import scan_text

CORPUS = Path(__file__).parent / "confidentiality_corpus"
MARK = re.compile(r"\[\[(.+?)\]\]")
MIN_RECALL = 0.95
MAX_FALSE_ALARM_RATE = 0.05


@dataclass
class Sentence:
    where: str
    text: str
    marked: list[tuple[int, int]]


def sentences(filename: str) -> list[Sentence]:
    found = []
    for number, line in enumerate((CORPUS / filename).read_text().splitlines(), start=1):
        if not line.strip() or line.startswith("#"):
            continue
        text, marked, cursor = "", [], 0
        for match in MARK.finditer(line):
            text += line[cursor : match.start()]
            marked.append((len(text), len(text) + len(match[1])))
            text += match[1]
            cursor = match.end()
        found.append(Sentence(f"{filename}:{number}", text + line[cursor:], marked))
    return found


@pytest.fixture(scope="module")
def names() -> list[str]:
    return (CORPUS / "names.txt").read_text().splitlines()


@pytest.fixture(scope="module")
def corpus() -> list[Sentence]:
    return sentences("identifying.txt") + sentences("ordinary.txt")


def overlaps(a: tuple[int, int], b: tuple[int, int]) -> bool:
    return a[0] < b[1] and b[0] < a[1]


def test_the_corpus_covers_every_kind_of_identifier_and_plenty_of_ordinary_writing(corpus, names):
    found_kinds = {
        finding.kind
        for sentence in corpus
        for finding in scan_text(sentence.text, source="corpus", names=names)
    }
    assert found_kinds == {
        "nhs_number",
        "ni_number",
        "postcode",
        "phone",
        "email",
        "date_of_birth",
        "name",
    }
    assert sum(len(s.marked) for s in corpus) >= 100
    assert sum(not s.marked for s in corpus) >= 100


def test_it_finds_at_least_95_percent_of_the_marked_identifiers(corpus, names):
    missed, total = [], 0
    for sentence in corpus:
        spans = [(f.start, f.end) for f in scan_text(sentence.text, source="corpus", names=names)]
        for mark in sentence.marked:
            total += 1
            if not any(overlaps(mark, span) for span in spans):
                missed.append(f"{sentence.where}: {sentence.text[mark[0] : mark[1]]}")
    recall = 1 - len(missed) / total
    assert recall >= MIN_RECALL, f"recall {recall:.1%}; missed:\n" + "\n".join(missed)


def test_it_raises_a_false_alarm_on_fewer_than_5_percent_of_sentences(corpus, names):
    alarms = []
    for sentence in corpus:
        for finding in scan_text(sentence.text, source="corpus", names=names):
            if not any(overlaps((finding.start, finding.end), m) for m in sentence.marked):
                alarms.append(f"{sentence.where}: {finding.kind} {finding.text!r}")
    rate = len({alarm.split(": ")[0] for alarm in alarms}) / len(corpus)
    assert rate < MAX_FALSE_ALARM_RATE, f"false alarms on {rate:.1%}:\n" + "\n".join(alarms)


def test_the_measure_would_notice_a_check_that_finds_nothing(corpus):
    # Without the names list every name in the corpus is missed, and recall falls well short.
    missed = sum(
        not any(overlaps(mark, (f.start, f.end)) for f in scan_text(sentence.text, source="corpus"))
        for sentence in corpus
        for mark in sentence.marked
    )
    assert 1 - missed / sum(len(s.marked) for s in corpus) < MIN_RECALL
