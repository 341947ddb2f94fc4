"""Synthetic news corpus for benchmarks (stdlib only, deterministic by seed).

Builds wire-style articles from hand-written templates so that benchmarks run on text
that looks like real news: a dateline, 5-15 sentences in short paragraphs, about 250-500
words. Each article mixes *event sentences* (attacks, talks, sanctions, arrests, protests,
aid, threats...; active and passive voice, appositions, negations, conditionals, event
nouns) with *filler sentences* that carry no event (weather, economic figures, background,
non-committal quotes). Actors come from lists of countries, leaders, armed groups and
sectors; places and day phrases ("on Monday", "late on Friday") are drawn at random.
Records have the fields of ``samples/articles.jsonl`` (id, title, text, published, source,
url). All content is invented; use it for benchmarking only.

    python bench/synth.py --n 1000 --seed 1 --out bench/out/synth_1000.jsonl

Other bench scripts can ``from synth import generate, make_article``.
"""

import argparse
import json
import random
import re
import sys
from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path


def _items(block: str, sep: str = ";") -> list[str]:
    return [x.strip() for x in block.replace("\n", sep).split(sep) if x.strip()]


def _records(block: str) -> list[tuple[str, ...]]:
    return [tuple(item.split("|")) for item in _items(block)]


def _rows(block: str) -> list[str]:
    return _items(block, sep="\n")


# country|adjective|capital|other city
COUNTRIES = _records("""
    Russia|Russian|Moscow|Belgorod; Ukraine|Ukrainian|Kyiv|Kharkiv; Iran|Iranian|Tehran|Isfahan
    Israel|Israeli|Jerusalem|Haifa; China|Chinese|Beijing|Shanghai; Egypt|Egyptian|Cairo|Rafah
    the United States|U.S.|Washington|New York; Turkey|Turkish|Ankara|Istanbul
    Poland|Polish|Warsaw|Rzeszow; Germany|German|Berlin|Munich; France|French|Paris|Marseille
    Britain|British|London|Manchester; Sudan|Sudanese|Khartoum|El Fasher; Mali|Malian|Bamako|Gao
    Kenya|Kenyan|Nairobi|Mombasa; Serbia|Serbian|Belgrade|Novi Sad; Japan|Japanese|Tokyo|Osaka
    Georgia|Georgian|Tbilisi|Batumi; India|Indian|New Delhi|Srinagar; Qatar|Qatari|Doha|Al Khor
    Pakistan|Pakistani|Islamabad|Lahore; Venezuela|Venezuelan|Caracas|Maracaibo
    Armenia|Armenian|Yerevan|Gyumri; Azerbaijan|Azerbaijani|Baku|Ganja; Lebanon|Lebanese|Beirut|Tyre
    Ethiopia|Ethiopian|Addis Ababa|Mekelle
""")
# name|title
LEADERS = _records("""
    Vladimir Putin|Russian President; Volodymyr Zelenskiy|Ukrainian President
    Donald Trump|U.S. President; Benjamin Netanyahu|Israeli Prime Minister
    Recep Tayyip Erdogan|Turkish President; Emmanuel Macron|French President
    Friedrich Merz|German Chancellor; Keir Starmer|British Prime Minister
    Kaja Kallas|EU foreign policy chief; Xi Jinping|Chinese President
    William Ruto|Kenyan President; Aleksandar Vucic|Serbian President
    Narendra Modi|Indian Prime Minister; Antonio Guterres|U.N. Secretary-General
    Mark Rutte|NATO Secretary General
""")
GROUPS = _items("""
    Hamas; Hezbollah; the Rapid Support Forces; the Houthis; M23 rebels; al Shabaab
    Islamic State fighters; separatist rebels; an armed militia
""")
SECTORS = _items("""
    opposition lawmakers; student protesters; farmers; aid workers; journalists; trade unions
    doctors; truck drivers; teachers; miners
""")
OUTLETS = _items("""
    Harbor Times; Meridian Wire; Northgate Post; Capital Ledger; Eastbridge Daily
    Summit Dispatch; Lakeshore Herald; Global Courier
""")
DAYS = _items("""
    on Monday; on Tuesday; on Wednesday; on Thursday; on Friday; on Saturday; on Sunday
    overnight; late on Friday; early on Tuesday; last week; earlier this month; on March 3
    on Sunday evening; in the early hours of Thursday
""")
MONTHS = "January February March April May June July August September October November December"
MONTHS = MONTHS.split()

# Slots: {A} {B} {B2} state actor, {F} armed actor, {L} leader, {G} armed group,
# {S} sector, {P} place, {C} capital, {K} country, {J} adjective, {D} day phrase,
# {M} month, {N} big number, {n} small number, {p} percentage.
EVENTS = _rows("""
    {A} accused {B} of violating the ceasefire {D}.
    {F} launched {N} drones and {n} missiles at {P} {D}, the air force said.
    {P} was shelled by {F} {D}, killing at least {n} people and wounding {N}.
    {A} and {B} agreed to exchange {N} prisoners of war {D}.
    {A} imposed sanctions on {B} {D}, targeting banks, oil traders and {N} vessels.
    {A} threatened to retaliate if {B} did not withdraw its troops from the border.
    {A} urged {B} to allow humanitarian aid into {P} without delay.
    {A} rejected a proposal by {B} for a ceasefire of {n} days, calling it unrealistic.
    {A} condemned the attack on {P} as a violation of international law.
    {A} did not rule out talks with {B}, but said the conditions were not yet right.
    {L} met {B} in {C} {D} to discuss security guarantees and trade.
    {A} deployed {N} troops to the border with {K} ahead of military exercises.
    Police arrested {N} protesters in {P} {D} after clashes near the parliament building.
    A journalist was detained by police in {P} {D} and charged with spreading false news.
    The {J} interior minister resigned {D}, saying he took responsibility for the crisis.
    {A} expelled the ambassador of {K} and gave him 72 hours to leave the country.
    {A} pledged {N} million dollars in humanitarian aid for {P}.
    {F} said they had shot down {N} drones over {P} {D}.
    Thousands of people marched in {P} {D} to demand early elections.
    {G} released {n} hostages {D} under a deal mediated by {A}.
    {A} warned that it would respond with force if {B} attacked its ships again.
    {F} denied carrying out the strike on {P} and blamed {B}.
    {A} called for an independent investigation into the killings in {P}.
    {A} signed a defence cooperation agreement with {B} in {C} {D}.
    {F} held joint naval exercises with {B} near {P}, involving {N} sailors.
    {A} demanded the immediate release of {n} detained activists.
    {A} praised {B} for its role in brokering the truce.
    {A} boycotted the summit in {C}, citing the treatment of its delegation.
    {A} hosted talks between {B} and {B2} {D}, the first such meeting in years.
    An air strike by {F} hit a crowded market in {P}, killing {n} people, medics said.
    {G} stormed an army base near {P} {D}, the defence ministry said.
    {A} seized a tanker in the Gulf and detained its {n} crew members.
    The attack on {P} drew condemnation from {A} and {B}.
    Talks between {A} and {B} in {C} ended {D} without agreement.
    {L} said {B} had to stop the bombing if it wanted peace.
    {A} said it was ready to sign a peace deal with {B} if its demands were met.
    {A} suspended military aid to {B} pending a review, officials said.
    {A} recalled its ambassador from {K} for consultations {D}.
    Security forces fired tear gas at {S} in {P} {D}.
    {S} went on strike across {K} {D}, demanding higher wages and better conditions.
    {A} vowed to rebuild {P} and to punish those responsible for the attack.
    The ceasefire agreed by {A} and {B} collapsed {D} after {n} days of relative calm.
""")
TAILS = _rows("""
    , according to a statement posted on the government's website
    , two officials familiar with the matter said on condition of anonymity
    , in a move that analysts said could deepen the crisis in the region
    , a spokesperson told reporters at a briefing in {C}
    , local media reported, citing witnesses and security sources
    , the latest escalation in a conflict that has dragged on for months
""")
FILLER = _rows("""
    Temperatures in {C} reached {n} degrees Celsius {D}, and forecasters expect heavy rain.
    Heavy snow closed several roads in the north of {K}, leaving some villages without power.
    The {J} economy grew by {p}% in the last quarter, slightly faster than analysts forecast.
    Inflation in {K} eased to {p}% in {M}, the statistics office said, helped by cheaper food.
    Brent crude rose {p}% to about 70 dollars a barrel, its biggest daily gain in a month.
    The {J} currency fell {p}% against the dollar, its weakest level since the start of the year.
    The city, home to about {N} thousand people, lies near a major river crossing.
    The region has been unstable for decades, and many young residents have moved abroad.
    The war has displaced millions of people, and aid agencies say their funding is running out.
    "We are following the situation very closely," a spokesperson said, declining to elaborate.
    "It is too early to say what this means for the region," said an analyst based in {C}.
    The ministry did not respond to a request for comment by the time of publication.
    The figures given by the two sides could not be independently verified.
    Schools and shops in the centre of {C} reopened {D} after a long public holiday.
    Tourism revenue in {K} rose to {N} million dollars last year, driven by visitors from Asia.
    The parliament in {C} is due to debate next year's budget in {M}, officials said.
    Traffic was heavy on the main roads out of {C} ahead of the long weekend.
    The report, which runs to {N} pages, will be published in full next month, its authors said.
    Local football matches scheduled for the weekend were postponed because of the weather.
    Analysts expect the central bank of {K} to keep interest rates at {p}% at its next meeting.
""")


def _actor(rng: random.Random, armed: bool = False) -> str:
    country, adj, _, _ = rng.choice(COUNTRIES)
    if armed:
        return rng.choice([f"{adj} forces", f"the {adj} army", rng.choice(GROUPS), f"{adj} troops"])
    name, title = rng.choice(LEADERS)
    other = rng.choice(COUNTRIES)[1]
    forms = [country, f"the {adj} government", f"{adj} officials", f"{title} {name}"]
    forms += [f"{name}, the {title},", f"the {adj} ministry", f"{adj} and {other} officials"]
    return rng.choice(forms)


def _value(rng: random.Random, key: str) -> str:
    lists = {"G": GROUPS, "S": SECTORS, "D": DAYS, "M": MONTHS}
    if key in ("A", "B", "B2", "F"):
        return _actor(rng, armed=key == "F")
    if key == "L":
        name, title = rng.choice(LEADERS)
        return rng.choice([f"{title} {name}", f"{name}, the {title},"])
    if key in lists:
        return rng.choice(lists[key])
    country, adj, capital, city = rng.choice(COUNTRIES)
    if key in ("K", "J", "C"):
        return {"K": country, "J": adj, "C": capital}[key]
    if key == "P":
        region = f"eastern {country.removeprefix('the ')}"
        return rng.choice([capital, city, f"the {adj} city of {city}", region])
    if key == "N":
        return f"{rng.choice([20, 35, 48, 120, 250, 472, 1000, 1200]):,}"
    return str(rng.randint(2, 40)) if key == "n" else f"{rng.uniform(0.1, 9.9):.1f}"


def _fill(rng: random.Random, template: str, capitalize: bool = True) -> str:
    used: set[str] = set()

    def slot(m: re.Match[str]) -> str:
        val = _value(rng, m.group(1))
        while val in used:  # avoid "Russia accused Russia"
            val = _value(rng, m.group(1))
        used.add(val)
        return val

    text = re.sub(r"\{(\w+)\}", slot, template).replace(",,", ",").replace(",.", ".")
    return text[0].upper() + text[1:] if capitalize else text


def _event(rng: random.Random) -> tuple[str, str]:
    """An event sentence (sometimes with a tail or a second event clause) and its core."""
    sent = core = _fill(rng, rng.choice(EVENTS))
    roll = rng.random()
    if roll < 0.35 and "said" not in sent:
        sent = sent[:-1] + _fill(rng, rng.choice(TAILS), capitalize=False) + "."
    elif roll < 0.6:
        second = rng.choice(EVENTS)
        second = _fill(rng, second[0].lower() + second[1:], capitalize=False)
        sent = sent[:-1] + rng.choice([", while ", ", and ", " as "]) + second
    return sent, core


def _title(sentence: str) -> str:
    head = re.split("|".join(re.escape(" " + d) for d in DAYS), sentence)[0]
    return " ".join(head.rstrip(".").split()[:16]).rstrip(",")


def make_article(rng: random.Random, i: int) -> dict:
    """Build one synthetic article (record ``i``) using ``rng`` for every choice."""
    published = date(2025, 1, 1) + timedelta(days=rng.randrange(730))
    source = rng.choice(OUTLETS)
    n_sent = max(rng.randint(5, 15), rng.randint(5, 15))
    n_events = max(2, round(n_sent * rng.uniform(0.4, 0.75)))
    events, cores = zip(*(_event(rng) for _ in range(n_events)), strict=True)
    fillers = [_fill(rng, t) for t in rng.sample(FILLER, len(FILLER))]  # no repeats
    body = list(events[1:]) + [fillers.pop() for _ in range(n_sent - n_events)]
    rng.shuffle(body)
    sentences = [events[0], *body]
    target = rng.randint(250, 500)  # pad short articles towards a realistic length
    while sum(len(s.split()) for s in sentences) < target and len(sentences) < 15:
        sentences.append(_event(rng)[0] if rng.random() < 0.5 else fillers.pop())
    city = rng.choice(COUNTRIES)[2].upper()
    dateline = f"{city}, {MONTHS[published.month - 1]} {published.day} ({source}) - "
    paragraphs, k = [], 0
    while k < len(sentences):
        size = rng.choice([1, 2, 2, 3])
        paragraphs.append(" ".join(sentences[k : k + size]))
        k += size
    title = _title(cores[0])
    slug = re.sub(r"[^a-z0-9]+", "-", title.lower()).strip("-")[:60]
    return {
        "id": f"synth-{i:06d}",
        "title": title,
        "text": dateline + "\n\n".join(paragraphs),
        "published": published.isoformat(),
        "source": source,
        "url": f"https://example.org/synth/{published.year}/{i:06d}-{slug}",
    }


def generate(n: int, seed: int = 1) -> Iterator[dict]:
    """Yield ``n`` articles; the same ``(n, seed)`` always gives the same corpus."""
    rng = random.Random(seed)
    for i in range(n):
        yield make_article(rng, i)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--n", type=int, default=1000, help="number of articles")
    ap.add_argument("--seed", type=int, default=1, help="random seed")
    ap.add_argument("--out", type=Path, default=None, help="output JSONL (default: stdout)")
    args = ap.parse_args(argv)
    if args.out is not None:
        args.out.parent.mkdir(parents=True, exist_ok=True)
    fh = args.out.open("w", encoding="utf-8") if args.out else sys.stdout
    for art in generate(args.n, args.seed):
        fh.write(json.dumps(art, ensure_ascii=False) + "\n")
    if args.out is not None:
        fh.close()
        print(f"wrote {args.n} articles to {args.out}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
