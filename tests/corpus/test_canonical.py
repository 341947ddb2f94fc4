"""Canonical events: merge rules, explanations, counts, order independence."""

from __future__ import annotations

import itertools
import random
from pathlib import Path

import pytest
from corpus_helpers import cluster_of, clusters, copy_of, doc, ev

from tidings.corpus import canonical_events, mentions, rebuild_canonical, update_canonical
from tidings.corpus.clustering import cluster
from tidings.corpus.rules import Mention, Side, Where, compare
from tidings.runs import store_coded
from tidings.store import Store


@pytest.fixture
def store(tmp_path: Path):
    with Store(f"sqlite:///{tmp_path / 'c.db'}") as s:
        yield s


def m(i: str, etype: str = "ASSAULT", src: str | None = "RUS", tgt: str | None = "UKR",
      day: str | None = "2025-03-10", prec: str | None = "day", place: Where | None = None,
      **kw) -> Mention:
    return Mention(i, f"d{i}", etype, source=Side(src), target=Side(tgt), date=day,
                   precision=prec, place=place or Where(), **kw)


KHARKIV = Where("Kharkiv", "UKR", 49.99, 36.23, "city", in_sentence=True)
CHUHUIV = Where("Chuhuiv", "UKR", 49.84, 36.69, "city", in_sentence=True)  # ~37 km away
ODESA = Where("Odesa", "UKR", 46.48, 30.72, "city", in_sentence=True)


# -- rules ------------------------------------------------------------------------------


@pytest.mark.parametrize(("a", "b", "linked", "gap"), [
    (("2025-03-10", "day"), ("2025-03-11", "day"), True, 1),
    (("2025-03-10", "day"), ("2025-03-12", "day"), False, 2),
    (("2025-03-03", "week"), ("2025-03-10", "day"), True, 1),  # week of 3-9 March, +1 slack
    (("2025-03-03", "week"), ("2025-03-11", "day"), False, 2),
    (("2025-03-01", "month"), ("2025-03-31", "day"), True, 0),
    (("2025-03-01", "month"), ("2025-04-02", "day"), False, 2),
    (("2025-03-12", "publication"), ("2025-03-09", "day"), True, 1),  # reported 3 days on
    (("2025-03-12", "publication"), ("2025-03-08", "day"), False, 2),
    (("2025-03-12", "publication"), ("2025-03-14", "day"), False, 2),  # after publication
])
def test_date_window_depends_on_precision(a, b, linked, gap):
    c = compare(m("1", day=a[0], prec=a[1]), m("2", day=b[0], prec=b[1]))
    assert c.linked is linked
    assert c.fields["date"]["gap_days"] == gap


def test_year_precision_is_too_coarse_to_link():
    c = compare(m("1", day="2025-01-01", prec="year"), m("2"))
    assert not c.linked and c.veto == "date too_coarse"


def test_actor_conflict_vetoes_and_unknown_side_is_weaker():
    assert compare(m("1"), m("2", tgt="GEO")).veto == "target conflict"
    assert compare(m("1"), m("2", src="BLR")).veto == "source conflict"
    full, partial = compare(m("1"), m("2")), compare(m("1"), m("2", tgt=None))
    assert full.linked and partial.linked
    assert partial.score < full.score
    assert partial.fields["target"]["status"] == "unknown"
    # nothing known but the type and a date is no evidence of one event
    assert not compare(m("1", src=None, tgt=None), m("2", src=None, tgt=None)).linked


def test_international_bodies_compare_by_name():
    eu = Side("IGO", name="European Union")
    un = Side("IGO", name="United Nations")
    a = Mention("1", "d1", "SANCTION", source=eu, target=Side("IRN"), date="2025-05-20",
                precision="day")
    b = Mention("2", "d2", "SANCTION", source=un, target=Side("IRN"), date="2025-05-20",
                precision="day")
    assert compare(a, b).veto == "source conflict"
    assert compare(a, Mention("3", "d3", "SANCTION", source=eu, target=Side("IRN"),
                              date="2025-05-20", precision="day")).linked


def test_symmetric_types_match_with_sides_swapped():
    c = compare(m("1", "CONSULT", "USA", "CHN"), m("2", "CONSULT", "CHN", "USA"))
    assert c.linked and c.swapped
    assert c.fields["source"]["status"] == c.fields["target"]["status"] == "agree"
    assert not compare(m("1", "ASSAULT", "THA", "KHM"), m("2", "ASSAULT", "KHM", "THA")).linked


def test_type_must_agree():
    c = compare(m("1", "ASSAULT"), m("2", "COERCE"))
    assert not c.linked and c.veto == "type conflict"


def test_places():
    near = compare(m("1", place=KHARKIV), m("2", place=CHUHUIV))
    assert near.fields["place"]["status"] == "near" and near.fields["place"]["km"] < 50
    assert compare(m("1", place=KHARKIV), m("2", place=ODESA)).veto == "place far"
    tbilisi = Where("Tbilisi", "GEO", 41.69, 44.83, "city", in_sentence=True)
    assert compare(m("1", place=KHARKIV), m("2", place=tbilisi)).veto == "place conflict"
    # a dateline never contradicts, but supports when it is in the same country
    kyiv_dateline = Where("Kyiv", "UKR", 50.45, 30.52, "city", in_sentence=False)
    c = compare(m("1", place=ODESA), m("2", place=kyiv_dateline))
    assert c.veto is None and c.fields["place"]["status"] == "dateline_agree"
    geneva_dateline = Where("Geneva", "CHE", 46.2, 6.15, "city", in_sentence=False)
    assert compare(m("1", place=ODESA), m("2", place=geneva_dateline)).linked
    # two reports naming only the same town link even with no actor countries
    assert compare(m("1", "PROTEST", None, None, place=KHARKIV),
                   m("2", "PROTEST", None, None, place=KHARKIV)).linked


# -- clustering -------------------------------------------------------------------------


def test_unknown_side_cannot_chain_two_events():
    # "Russia attacked ..." (target unknown) links to both, but UKR and GEO conflict
    ms = [m("1", tgt="UKR"), m("2", tgt="UKR"), m("3", tgt=None), m("4", tgt="GEO"),
          m("5", tgt="GEO")]
    found = {frozenset(x.event_id for x in c.members) for c in cluster(ms)}
    assert frozenset({"1", "2"}) <= next(c for c in found if "1" in c)
    assert not any({"1", "4"} <= c for c in found)
    assert sum(len(c) for c in found) == 5


def test_cluster_ignores_input_order():
    ms = [m(str(i), tgt=random.Random(i).choice(["UKR", None, "GEO"]),
            day=f"2025-03-{10 + i % 5:02d}", prec=random.Random(i).choice(["day", "publication"]))
          for i in range(14)]
    want = {frozenset(x.event_id for x in c.members) for c in cluster(ms)}
    assert len(want) > 1
    for seed in range(5):
        shuffled = ms[:]
        random.Random(seed).shuffle(shuffled)
        assert {frozenset(x.event_id for x in c.members) for c in cluster(shuffled)} == want


# -- the store ------------------------------------------------------------------------


def corpus() -> list:
    """Two attacks a week apart on one dyad, a third on another country, talks reported
    with the sides swapped, two protests in two countries, a copy and a non-asserted event."""
    a1 = doc("a1", [ev("a1", 0, "ASSAULT", "RUS", "UKR", town="Kharkiv")], outlet="Wire")
    return [
        a1,
        doc("a2", [ev("a2", 0, "ASSAULT", "RUS", "UKR", day="2025-03-11", prec="publication")],
            published="2025-03-11", outlet="Ledger"),
        doc("a3", [ev("a3", 0, "ASSAULT", "RUS", None, day="2025-03-11", town="Kharkiv")],
            published="2025-03-11", outlet="Courier"),
        doc("b1", [ev("b1", 0, "ASSAULT", "RUS", "UKR", day="2025-03-17", town="Kharkiv")],
            published="2025-03-17", outlet="Wire"),
        doc("b2", [ev("b2", 0, "ASSAULT", "RUS", "UKR", day="2025-03-17", dateline="Kyiv")],
            published="2025-03-17", outlet="Ledger"),
        doc("g1", [ev("g1", 0, "ASSAULT", "RUS", "GEO", town="Tbilisi")], outlet="Courier"),
        doc("x1", [ev("x1", 0, "ASSAULT", "RUS", None)], outlet="Gazette"),
        doc("t1", [ev("t1", 0, "CONSULT", "USA", "CHN", day="2025-05-10", town="Geneva")],
            published="2025-05-10", outlet="Wire"),
        doc("t2", [ev("t2", 0, "CONSULT", "CHN", "USA", day="2025-05-11", town="Geneva")],
            published="2025-05-11", outlet="Ledger"),
        doc("p1", [ev("p1", 0, "PROTEST", None, None, day="2025-06-24", town="Nairobi")],
            published="2025-06-24", outlet="Wire"),
        doc("p2", [ev("p2", 0, "PROTEST", "KEN", None, day="2025-06-24", town="Nairobi"),
                   ev("p2", 1, "SANCTION", "KEN", "UGA", day="2025-06-24", town="Nairobi",
                      modality="future")],
            published="2025-06-25", outlet="Gazette"),
        doc("p3", [ev("p3", 0, "PROTEST", "UGA", None, day="2025-06-25", town="Kampala")],
            published="2025-06-25", outlet="Courier"),
        copy_of(a1, "a9", published="2025-03-12", outlet="Daily"),
    ]


def test_merges_what_should_merge_and_nothing_else(store):
    store_coded(corpus(), store)
    update_canonical(store)
    # x1 ("Russia attacked ...", no target) fits the Kharkiv attack or the Georgian one
    # equally well; it joins exactly one of them, never bridges the two
    assert cluster_of(store, "a1:0") - {"x1:0"} == {"a1:0", "a2:0", "a3:0"}
    assert ("x1:0" in cluster_of(store, "a1:0")) != ("x1:0" in cluster_of(store, "g1:0"))
    assert cluster_of(store, "b1:0") == {"b1:0", "b2:0"}
    assert cluster_of(store, "t1:0") == {"t1:0", "t2:0"}
    assert cluster_of(store, "p1:0") == {"p1:0", "p2:0"}
    assert cluster_of(store, "p3:0") == {"p3:0"}
    assert "g1:0" not in cluster_of(store, "a1:0")
    assert len(clusters(store)) == 6
    everything = set().union(*clusters(store))
    assert "p2:1" not in everything  # future: not an event that happened
    assert "a9:0" not in everything  # a copy adds no mention


def test_counts_credit_copies_as_sources_not_mentions(store):
    store_coded(corpus(), store)
    update_canonical(store)
    ce = next(e for e in canonical_events(store, event_type="assault", since="2025-03-10",
                                          until="2025-03-10") if e["num_copies"])
    assert ce["num_articles"] == ce["num_mentions"] == 4 and ce["num_copies"] == 1
    assert ce["num_sources"] == 5  # the copy's outlet (Daily) is credited too
    assert ce["sources"] == ["Courier", "Daily", "Gazette", "Ledger", "Wire"]
    assert (ce["first_seen"], ce["last_seen"]) == ("2025-03-10", "2025-03-12")
    assert ce["source"]["country"] == "RUS" and ce["target"]["country"] == "UKR"
    assert ce["location"]["name"] == "Kharkiv" and ce["date_precision"] == "day"
    assert [e["id"] for e in canonical_events(store, actor="GEO")] != []
    assert all(e["event_type"] == "PROTEST" for e in canonical_events(store, event_type="PROTEST"))
    assert len(canonical_events(store, limit=2)) == 2


def test_mentions_explain_each_link(store):
    store_coded(corpus(), store)
    update_canonical(store)
    ce = next(e for e in canonical_events(store, event_type="ASSAULT") if e["num_copies"])
    ms = {x["event_id"]: x for x in mentions(store, ce["id"])}
    assert set(ms) == {"a1:0", "a2:0", "a3:0", "x1:0"}
    assert [c["document_id"] for c in ms["a1:0"]["copies"]] == ["a9"]
    a3 = ms["a3:0"]
    assert a3["via"] == "a1:0"  # same town, same attacker, a day apart
    fields = a3["agreement"]["fields"]
    assert fields["source"]["status"] == "agree" and fields["target"]["status"] == "unknown"
    assert fields["date"]["gap_days"] == 1 and fields["place"]["status"] == "near"
    assert fields["type"]["status"] == "agree"
    assert ms["a2:0"]["agreement"]["fields"]["date"]["precision"][0] == "publication"
    talks = next(e for e in canonical_events(store, event_type="CONSULT"))
    assert any(x["agreement"]["swapped"] for x in mentions(store, talks["id"]))


def _ingest(path: Path, batches: list[list]) -> frozenset:
    with Store(f"sqlite:///{path}") as s:
        for batch in batches:
            store_coded(batch, s)
            update_canonical(s)
        got = clusters(s)
        rebuild_canonical(s)
        assert clusters(s) == got, "incremental result differs from a rebuild of the same store"
        return got


def test_incremental_in_any_order_equals_all_at_once(tmp_path: Path):
    docs = corpus()
    want = _ingest(tmp_path / "all.db", [docs])
    assert len(want) == 6
    for seed in range(4):
        shuffled = docs[:]
        random.Random(seed).shuffle(shuffled)
        cuts = sorted(random.Random(seed + 10).sample(range(1, len(docs)), 3))
        batches = [shuffled[i:j] for i, j in itertools.pairwise([0, *cuts, len(docs)])]
        assert _ingest(tmp_path / f"s{seed}.db", batches) == want, seed
    # one at a time, newest first: the copy arrives before the story it copies
    assert _ingest(tmp_path / "rev.db", [[d] for d in reversed(docs)]) == want


def test_update_twice_changes_nothing(store):
    store_coded(corpus(), store)
    first = update_canonical(store)
    before = clusters(store)
    again = update_canonical(store)
    assert first["documents"] == 13 and again["documents"] == 0
    assert clusters(store) == before


def test_same_sector_is_finer_agreement():
    police = Mention("1", "d1", "COERCE", source=Side("KEN", "COP"), date="2025-06-24",
                     precision="publication")
    also_police = Mention("2", "d2", "COERCE", source=Side("KEN", "COP"), date="2025-06-23",
                          precision="day")
    army = Mention("3", "d3", "COERCE", source=Side("KEN", "MIL"), date="2025-06-23",
                   precision="day")
    assert compare(police, also_police).linked
    assert compare(police, also_police).fields["source"]["sector"] == "agree"
    assert not compare(police, army).linked  # one country and nothing finer: not enough


def test_cluster_command_prints_a_summary(tmp_path: Path):
    from typer.testing import CliRunner

    from tidings.cli import app

    url = f"sqlite:///{tmp_path / 'cli.db'}"
    with Store(url) as s:
        store_coded(corpus(), s)
    runner = CliRunner()
    res = runner.invoke(app, ["cluster", "--db", url])
    assert res.exit_code == 0, res.output
    assert "updated: 13 document(s)" in res.output and "6 canonical events" in res.output
    res = runner.invoke(app, ["cluster", "--db", url, "--rebuild"])
    assert res.exit_code == 0 and "rebuilt" in res.output and "6 canonical events" in res.output
