"""Export formats (tidings.formats): each export read back with the reader its users use,
checked against the codebook column lists in tests/data/codebooks/, hand-checked rows of the
seed story, and the CLI and API giving the same bytes for the same query."""

from __future__ import annotations

import hashlib
import io
import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from tidings.cli import app

pytestmark = pytest.mark.slow
pd = pytest.importorskip("pandas")
runner = CliRunner()
DATA = Path(__file__).parent / "data"
CODEBOOKS = DATA / "codebooks"
TABULAR = {"acled": ",", "gdelt": "\t", "phoenix": "\t"}
SECOND_REPORT = {
    "id": "ledger-spiderweb", "title": "Drones hit Russian airbases", "source": "Ledger",
    "published": "2025-06-02", "url": "https://ledger.example/2025/06/02/airbases",
    "text": "Ukraine attacked Russian airbases with drones on Sunday, Ukrainian officials "
            "said.\n\nThe attack destroyed dozens of bombers, they said."}


def codebook(fmt: str) -> dict[str, str]:
    """Column -> pandas dtype, in the codebook's order."""
    lines = [x for x in (CODEBOOKS / f"{fmt}.tsv").read_text().splitlines()
             if x and not x.startswith("#")]
    return dict(line.split("\t") for line in lines[1:])


def run(*args: str):
    result = runner.invoke(app, list(args))
    assert result.exit_code == 0, result.output
    return result


@pytest.fixture(scope="module")
def store_url(tmp_path_factory, coder) -> str:
    folder = tmp_path_factory.mktemp("formats")
    meta = json.loads((DATA / "seed_article.json").read_text())
    seed = {**meta, "text": (DATA / "seed_article.txt").read_text(encoding="utf-8")}
    path = folder / "stories.jsonl"
    path.write_text("".join(json.dumps(a) + "\n" for a in (seed, SECOND_REPORT)),
                    encoding="utf-8")
    url = f"sqlite:///{folder / 'formats.db'}"
    # every coded event is stored (--min-confidence 0): these tests check the formats, and
    # the seed story's Kupiansk strike sits just under the default confidence cut
    run("ingest", str(path), "--db", url, "--quiet", "--min-confidence", "0")
    run("cluster", "--db", url)
    return url


@pytest.fixture(scope="module")
def stored(store_url):
    """The stored mentions and canonical links, to check exports against."""
    import sqlite3

    con = sqlite3.connect(store_url.removeprefix("sqlite:///"))
    con.row_factory = sqlite3.Row
    events = [dict(r) for r in con.execute("select * from events")]
    counts = {r["event_id"]: dict(r) for r in con.execute(
        "select l.event_id, c.id, c.num_mentions, c.num_sources, c.num_articles "
        "from canonical_links l join canonical_events c on c.id = l.canonical_id")}
    canonical = [dict(r) for r in con.execute("select * from canonical_events")]
    con.close()
    return {"events": events, "counts": counts, "canonical": canonical}


@pytest.fixture(scope="module")
def drone(stored) -> dict:
    """The seed story's drone strike: Ukraine's drones on Russian airbases (CAMEO 195)."""
    hits = [e for e in stored["events"] if e["cameo"] == "195" and e["source_country"] == "UKR"
            and e["target_country"] == "RUS" and e["document_id"].startswith("seed")
            and "drone attack" in e["sentence"]]
    assert hits, "the seed story's drone strike was not coded"
    return hits[0]


@pytest.fixture(scope="module")
def client(store_url):
    from fastapi.testclient import TestClient

    from tidings.web import create_app

    with TestClient(create_app(store_url)) as c:
        yield c


def export(store_url: str, fmt: str, *args: str, mentions: bool = True):
    extra = ["--mentions"] if mentions else []
    return run("events", "--db", store_url, "--format", fmt, *extra, *args)


def read_tabular(fmt: str, data: bytes):
    return pd.read_csv(io.BytesIO(data), sep=TABULAR[fmt], dtype=codebook(fmt),
                       keep_default_na=False, na_values=[""])


# -- every tabular format: columns, order and types from the codebook --------------------


@pytest.mark.parametrize("fmt", sorted(TABULAR))
@pytest.mark.parametrize("mentions", [True, False], ids=["mentions", "canonical"])
def test_tabular_export_has_the_codebook_columns_and_types(store_url, fmt, mentions):
    import pyarrow.parquet as pq

    book = codebook(fmt)
    frame = read_tabular(fmt, export(store_url, fmt, mentions=mentions).stdout_bytes)
    assert list(frame.columns) == list(book)
    assert len(frame) > 0
    for column, dtype in book.items():
        assert str(frame[column].dtype) == dtype, column
    # the Parquet variant: same column names and order, typed as the codebook says
    table = pq.read_table(io.BytesIO(
        export(store_url, f"{fmt}-parquet", mentions=mentions).stdout_bytes))
    arrow = {"Int64": "int64", "float64": "double", "string": "string"}
    assert table.column_names == list(book)
    assert [str(f.type) for f in table.schema] == [arrow[d] for d in book.values()]
    from_parquet = table.to_pandas().astype(book)
    pd.testing.assert_frame_equal(from_parquet, frame, check_exact=False)


def test_polecat_keys_and_types_follow_the_codebook(store_url, stored):
    book = json.loads((CODEBOOKS / "polecat.json").read_text())
    kinds = {str: "string", int: "integer", float: "number", list: "array", dict: "object",
             type(None): "null", bool: "boolean"}

    def check(obj: dict, spec: dict, where: str) -> None:
        assert list(obj) == list(spec), where
        for key, allowed in spec.items():
            kind = kinds[type(obj[key])]
            if kind == "integer" and "number" in allowed:
                continue
            assert kind in allowed, f"{where}.{key}: {kind}"

    for mentions in (True, False):
        lines = export(store_url, "polecat", mentions=mentions).stdout.splitlines()
        events = [json.loads(x) for x in lines]
        assert len(events) == (len(stored["events"]) if mentions else len(stored["canonical"]))
        for ev in events:
            check(ev, book["event"], "event")
            for role in ("actor", "recipient"):
                if ev[role] is not None:
                    check(ev[role], book["actor"], role)
            if ev["location"] is not None:
                check(ev["location"], book["location"], "location")
            check(ev["tidings"], book["tidings"], "tidings")


# -- hand-checked rows of the seed story --------------------------------------------------


def test_drone_strike_in_acled_form(store_url, drone):
    frame = read_tabular("acled", export(store_url, "acled").stdout_bytes)
    row = frame.set_index("event_id_cnty").loc["RUS" + drone["id"]]
    assert row["event_type"] == "Explosions/Remote violence"
    assert row["sub_event_type"] == "Air/drone strike"
    assert row["disorder_type"] == "Political violence"
    assert row["actor1"] == "Military Forces of Ukraine" and row["inter1"] == 1
    # the airbases are equipment: their owner's military is the target (issue 12)
    assert row["actor2"] == "Military Forces of Russia" and row["inter2"] == 1
    assert row["interaction"] == 11  # state forces against state forces
    assert row["fatalities"] == 0  # no death toll reported for it
    assert row["geo_precision"] == 3 and row["location"] == "Russia"  # only the country
    assert (row["event_date"], row["year"], row["time_precision"]) == ("2025-06-01", 2025, 1)
    assert (row["iso"], row["country"], row["region"]) == (643, "Russia", "Europe")
    assert row["source"] == "Wire" and "drone attack" in row["notes"]
    assert pd.isna(row["admin2"]) and pd.isna(row["source_scale"])  # tidings has no value


def test_casualties_and_civilian_targets_in_acled_form(store_url):
    frame = read_tabular("acled", export(store_url, "acled").stdout_bytes)
    kupiansk = frame[frame["notes"].str.contains("Kupiansk") & (frame["fatalities"] == 5)]
    assert len(kupiansk) == 1
    row = kupiansk.iloc[0]
    assert (row["event_type"], row["sub_event_type"]) == ("Violence against civilians",
                                                          "Attack")
    assert row["actor2"] == "Civilians (Ukraine)" and row["inter2"] == 7
    assert row["civilian_targeting"] == "Civilian targeting"
    assert row["geo_precision"] == 3 and row["country"] == "Ukraine"
    soldiers = frame[frame["notes"].str.contains("training unit") & (frame["fatalities"] == 12)]
    assert len(soldiers) >= 1
    assert set(soldiers["inter2"]) == {1}  # Ukrainian army: state forces
    assert set(frame["time_precision"].dropna()) <= {1, 2, 3}


def test_acled_leaves_out_events_without_an_acled_type_and_says_how_many(store_url, stored,
                                                                         client):
    without = sum(1 for e in stored["events"] if not e["acled_event_type"])
    assert without > 0  # talks, accusations ... have no ACLED type
    result = export(store_url, "acled")
    assert f"left out {without} event(s) with no ACLED event type" in result.stderr
    frame = read_tabular("acled", result.stdout_bytes)
    assert len(frame) == len(stored["events"]) - without
    r = client.get("/api/events/export?format=acled")
    assert r.headers["x-tidings-left-out"] == str(without)
    assert client.get("/api/events/export?format=gdelt").headers.get(
        "x-tidings-left-out") is None  # GDELT keeps every event


def test_drone_strike_in_gdelt_form(store_url, stored, drone):
    frame = read_tabular("gdelt", export(store_url, "gdelt").stdout_bytes)
    gid = int(hashlib.sha256(drone["id"].encode()).hexdigest()[:15], 16)
    row = frame.set_index("GlobalEventID").loc[gid]
    # "Ukraine" as the doer of a drone strike is its military (GUIDELINE section 4)
    assert (row["Actor1Code"], row["Actor1CountryCode"], row["Actor1Name"]) == (
        "UKRMIL", "UKR", "UKRAINE")
    assert (row["Actor2Code"], row["Actor2CountryCode"]) == ("RUSMIL", "RUS")
    assert (row["EventCode"], row["EventBaseCode"], row["EventRootCode"]) == (
        "195", "195", "19")
    assert (row["QuadClass"], row["GoldsteinScale"]) == (4, -9.5)
    assert (row["Day"], row["MonthYear"], row["Year"]) == (20250601, 202506, 2025)
    assert row["IsRootEvent"] == 1  # in the lead paragraph
    counts = stored["counts"][drone["id"]]  # from the canonical event it belongs to
    assert (row["NumMentions"], row["NumSources"], row["NumArticles"]) == (
        counts["num_mentions"], counts["num_sources"], counts["num_articles"])
    assert (row["ActionGeo_Type"], row["ActionGeo_CountryCode"],
            row["ActionGeo_FeatureID"]) == (1, "RS", "RS")
    assert pd.isna(row["AvgTone"]) and pd.isna(row["Actor1Geo_Type"])
    assert row["SOURCEURL"] == "Wire"  # no URL: the outlet is the citation


def test_talks_in_istanbul_in_gdelt_and_phoenix_form(store_url, stored):
    talks = next(e for e in stored["events"] if e["event_type"] == "CONSULT"
                 and e["source_country"] == "RUS" and e["target_country"] == "UKR"
                 and e["place_name"] == "Istanbul")
    gdelt = read_tabular("gdelt", export(store_url, "gdelt").stdout_bytes)
    gid = int(hashlib.sha256(talks["id"].encode()).hexdigest()[:15], 16)
    row = gdelt.set_index("GlobalEventID").loc[gid]
    assert (row["Actor1Code"], row["Actor1Type1Code"]) == ("RUSGOV", "GOV")
    assert (row["ActionGeo_Type"], row["ActionGeo_FullName"]) == (4, "Istanbul, Turkey")
    assert (row["ActionGeo_ADM1Code"], row["ActionGeo_FeatureID"]) == ("TU34", "745044")
    assert row["EventCode"] == "040"  # leading zero kept
    phoenix = read_tabular("phoenix", export(store_url, "phoenix").stdout_bytes)
    prow = phoenix.set_index("EventID").loc[talks["id"]]
    assert (prow["SourceActorFull"], prow["SourceActorEntity"], prow["SourceActorRole"]) == (
        "RUSGOV", "RUS", "GOV")
    assert (prow["TargetActorFull"], prow["EventCode"], prow["EventRootCode"]) == (
        "UKRGOV", "040", "04")
    assert (prow["Date"], prow["QuadClass"], prow["CountryCode"]) == (20250602, 1, "TUR")
    assert prow["LocationName"] == "Istanbul" and prow["NewsSources"] == "Wire"


def test_drone_strike_in_polecat_form(store_url, drone):
    events = {e["event_id"]: e for e in map(
        json.loads, export(store_url, "polecat").stdout.splitlines())}
    ev = events[drone["id"]]
    assert (ev["event_type"], ev["event_mode"], ev["event_date"]) == (
        "ASSAULT", "drone", "2025-06-01")
    assert ev["actor"]["country"] == "UKR" and ev["recipient"]["country"] == "RUS"
    assert ev["recipient"]["name_raw"] == "Russian airbases"
    assert ev["location"]["geonames_id"] == 2017370 and ev["location"]["country"] == "RUS"
    assert ev["tidings"]["cameo"] == "195" and ev["story_date"] == "2025-06-02"


def test_canonical_exports_carry_the_canonical_counts(store_url, stored):
    by_id = {c["id"]: c for c in stored["canonical"]}
    gdelt = read_tabular("gdelt", export(store_url, "gdelt", mentions=False).stdout_bytes)
    assert len(gdelt) == len(by_id)
    ids = {int(hashlib.sha256(k.encode()).hexdigest()[:15], 16): k for k in by_id}
    for _, row in gdelt.iterrows():
        ce = by_id[ids[row["GlobalEventID"]]]
        assert (row["NumMentions"], row["NumSources"], row["NumArticles"]) == (
            ce["num_mentions"], ce["num_sources"], ce["num_articles"])
        assert row["EventCode"] == ce["cameo"]


# -- the CLI and the API give the same bytes ----------------------------------------------


EXPORTS = ["parquet", "acled", "acled-parquet", "gdelt", "gdelt-parquet", "phoenix",
           "phoenix-parquet", "polecat"]


@pytest.mark.parametrize("fmt", EXPORTS)
def test_cli_and_api_exports_are_byte_identical(store_url, client, fmt):
    cli = export(store_url, fmt).stdout_bytes
    api = client.get(f"/api/events/export?format={fmt}")
    assert api.status_code == 200 and api.content == cli and cli
    cli = export(store_url, fmt, "--actor", "UKR", "--type", "ASSAULT").stdout_bytes
    api = client.get(f"/api/events/export?format={fmt}&actor=UKR&type=ASSAULT")
    assert api.content == cli
    cli = export(store_url, fmt, mentions=False).stdout_bytes
    api = client.get(f"/api/canonical?format={fmt}")
    assert api.status_code == 200 and api.content == cli
    cli = export(store_url, fmt, "--since", "2025-06-02", mentions=False).stdout_bytes
    assert client.get(f"/api/canonical?format={fmt}&since=2025-06-02").content == cli


def test_unknown_format_is_refused_by_both(store_url, client):
    result = runner.invoke(app, ["events", "--db", store_url, "--format", "stata"])
    assert result.exit_code != 0 and "acled" in result.output
    for path in ("/api/events/export", "/api/events", "/api/canonical"):
        r = client.get(f"{path}?format=stata")
        assert r.status_code == 422 and r.json()["detail"][0]["loc"] == ["query", "format"]


def test_a_registered_renderer_serves_cli_and_api(store_url, client):
    from tidings.formats import register_renderer, unregister_renderer

    def ids(records, report):
        for r in records:
            yield f"{report.kind}\t{r['id']}\n".encode()

    register_renderer("ids", ids, media_type="text/plain", extension="txt")
    try:
        cli = export(store_url, "ids").stdout_bytes
        api = client.get("/api/events/export?format=ids")
        assert api.content == cli and cli.startswith(b"mentions\t")
        assert api.headers["content-disposition"].endswith('events.txt"')
        assert client.get("/api/canonical?format=ids").content.startswith(b"canonical\tce-")
    finally:
        unregister_renderer("ids")
