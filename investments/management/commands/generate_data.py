"""Fill the database with realistic synthetic data, for load tests and for seeing pages at scale.

The data is made up but shaped like the field: companies, investors, labs and
governments in the countries where LENR work happens, people with roles at them,
technologies with inventors and holders, deals in several currencies with hedged
confidence and partial dates, sources that reached us through other sources, and
articles whose Markdown bodies name the entities they are linked to.

Everything goes in with ``bulk_create`` in batches, inside one transaction, so the
default sizes take well under a few minutes on SQLite and PostgreSQL. No history
rows are written for generated data. ``--seed`` makes a run repeatable.
"""

import datetime
import math
import random
import sys
import time
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from django.utils import timezone
from django.utils.text import slugify
from django_countries import countries

from articles.models import (
    Article,
    ArticleAuthor,
    Author,
    Correction,
    OrganizationMention,
    PersonMention,
    Source,
    TechnologyMention,
    Topic,
)
from investments.models import (
    Event,
    EventOrganization,
    EventPerson,
    Investment,
    InvestorOrganization,
    InvestorPerson,
    RecipientOrganization,
    RecipientPerson,
)
from lenrnews.cache import bump_generation
from lenrnews.markdown import render_markdown
from lenrnews.models import Confidence, DatePrecision
from lenrnews.names import refresh_lookup_keys
from lenrnews.planner import refresh_statistics
from organizations.models import (
    Affiliation,
    Organization,
    OrganizationCitation,
    Person,
    PersonCitation,
    Technology,
    TechnologyCitation,
    TechnologyStake,
)

GENERATED_USERNAME_PREFIX = "generated-writer-"
FIRST_YEAR, LAST_YEAR = 1989, 2026
# Published articles and dated facts never go past this day, so a seed gives the same data any day.
LAST_DAY = datetime.date(2026, 10, 31)
BATCH_SIZE = 1000

# --- vocabulary ------------------------------------------------------------------------

FIRST_NAMES = (
    "Andrea Anna Alan Akira Barbara Bob Brian Carlos Chen Claire David Dennis Edmund Elena Emil "
    "Francesco Fumiko George Giuliano Hagen Hideo Ingrid Ivan James Jean Jed Julia Kenji Lars "
    "Liang Lucia Marianne Mark Martin Mats Melvin Michael Mitchell Nadia Nikolai Olga Paolo Pamela "
    "Peter Pierre Rachel Robert Rossella Sergei Shinji Sofia Stanley Steven Susan Tadahiko Thomas "
    "Tom Ulrich Vittorio Wei Xing Yasuhiro Yuki Zhang Anders Beatriz Carmen Dmitri Eva Felix Greta "
    "Hannah Iris Jonas Karin Leif Maria Nils Oscar Priya Rahul Sanjay Tanya Uma Viktor Walter"
).split()
LAST_NAMES = (
    "Adams Arata Bass Beaudette Biberian Bockris Celani Chubb Clarke Darden Dufour Duncan Fleischmann "
    "Focardi Forsley Godes Hagelstein Hioki Hubler Iwamura Jones Kidwell Kitamura Krivit Levi Letts "
    "Li Mallove Macy Mastromatteo McKubre Miles Mizuno Mosier-Boss Nagel Oriani Parkhomov Piantelli "
    "Pons Preparata Rothwell Rossi Ruer Srinivasan Staker Storms Swartz Takahashi Tanzella Violante "
    "Vysotskii Widom Larsen Yamaguchi Zhang Andersson Bianchi Costa Dubois Eriksson Fischer Garcia "
    "Hansen Ivanov Jensen Kowalski Lindqvist Moreau Nakamura Novak Olsen Petrov Quinn Ricci Schmidt "
    "Tanaka Umberto Varga Weber Xu Yoshida Zanetti Bauer Conti Dahl Egger Ferrari Gallo Horvat Ito"
).split()
COUNTRIES = {
    "US": ("Raleigh, North Carolina", "Palo Alto, California", "Boston, Massachusetts", "Austin, Texas",
           "Miami, Florida", "Columbia, Missouri", "Denver, Colorado", "Berkeley, California"),
    "IT": ("Bologna", "Milan", "Rome", "Siena", "Frascati", "Turin", "Padua"),
    "JP": ("Tokyo", "Sendai", "Sapporo", "Yokohama", "Osaka", "Nagoya"),
    "CN": ("Baoding", "Beijing", "Shanghai", "Shenzhen", "Hefei", "Chengdu"),
    "GB": ("London", "Cambridge", "Oxford", "Bristol", "Edinburgh"),
    "FR": ("Paris", "Grenoble", "Lyon", "Marseille", "Toulouse"),
    "DE": ("Berlin", "Munich", "Hamburg", "Karlsruhe", "Dresden"),
    "RU": ("Moscow", "Novosibirsk", "Saint Petersburg", "Obninsk"),
    "SE": ("Stockholm", "Uppsala", "Gothenburg", "Lund"),
    "IN": ("Mumbai", "Bangalore", "Chennai", "New Delhi"),
    "IL": ("Tel Aviv", "Haifa", "Rehovot"),
    "CH": ("Zurich", "Geneva", "Lausanne"),
    "CA": ("Toronto", "Montreal", "Vancouver"),
    "AU": ("Sydney", "Melbourne", "Brisbane"),
    "KR": ("Seoul", "Daejeon"),
    "UA": ("Kyiv", "Kharkiv"),
    "NO": ("Oslo", "Trondheim"),
    "FI": ("Helsinki", "Espoo"),
}  # fmt: skip
COUNTRY_WEIGHTS = {"US": 30, "IT": 10, "JP": 10, "CN": 8, "GB": 6, "FR": 5, "DE": 5, "RU": 5, "SE": 4, "IN": 4}
ORG_PREFIXES = (
    "Atlas Aurora Borealis Brillouin Cardinal Cherokee Clean Coldwater Condor Crestline Delta Eagle "
    "Ember Equinox Falcon Frontier Glacier Granite Harbor Helios Horizon Industrial Keystone Lattice "
    "Leonardo Lumen Meridian Nordic Northern Nova Orion Pacific Pinnacle Polaris Prometheus Quantum "
    "Redwood Sierra Solstice Sterling Summit Tesseract Titan Vanguard Vector Vertex Zenith Alpine "
    "Bluewater Cedar Cobalt Corona Evergreen Ironwood Juniper Kestrel Magellan Obsidian Phoenix Radiant"
).split()
ORG_CORES = (
    "Heat", "Energy", "Fusion", "Hydrogen", "Lattice Energy", "Power", "Thermal", "Nuclear", "Reactor",
    "Clean Energy", "Power Systems", "Energy Technologies", "Catalysis", "Materials", "Dynamics", "Research",
)  # fmt: skip
KIND_SUFFIXES = {
    Organization.Kind.COMPANY: ("Inc.", "LLC", "Ltd", "Corp.", "GmbH", "S.p.A.", "AB", "K.K.", "SA"),
    Organization.Kind.INVESTOR: ("Capital", "Ventures", "Partners", "Fund", "Holdings", "Investments"),
    Organization.Kind.RESEARCH_LAB: ("Laboratory", "Research Institute", "Research Center", "Lab"),
    Organization.Kind.NONPROFIT: ("Foundation", "Society", "Institute", "Trust"),
    Organization.Kind.MEDIA: ("News", "Journal", "Report", "Times", "World", "Review"),
}
KIND_WEIGHTS = {
    Organization.Kind.COMPANY: 45,
    Organization.Kind.INVESTOR: 15,
    Organization.Kind.RESEARCH_LAB: 10,
    Organization.Kind.UNIVERSITY: 9,
    Organization.Kind.GOVERNMENT: 6,
    Organization.Kind.MEDIA: 6,
    Organization.Kind.TECHNOLOGY_PARK: 3,
    Organization.Kind.NONPROFIT: 6,
}
GOVERNMENT_BODIES = (
    "Ministry of Energy", "Department of Energy", "Ministry of Science and Technology", "Energy Agency",
    "Defense Research Agency", "Provincial Government", "Science Council", "Innovation Agency",
)  # fmt: skip
TECH_PREFIXES = (
    "Hyper Quantum Nano Lattice Helio Cryo Thermo Plasma Deutero Hydro Nickel Sono Photo Magneto Aether "
    "Fusi Pico Proto Neo Omni Ultra Vortex Zeta Ecto Gamma Sigma Tau Kappa Argo Cata"
).split()
TECH_SUFFIXES = (
    "Cell Reactor Core Cat Furnace Module Engine Boiler Generator Stack Pile Capsule Tube Wafer Array"
).split()
APPROACH_WORDS = {
    Technology.Approach.NI_H: "nickel-hydrogen",
    Technology.Approach.PD_D: "palladium-deuterium",
    Technology.Approach.PLASMA: "plasma discharge",
    Technology.Approach.ELECTROLYSIS: "electrolytic",
    Technology.Approach.GAS_LOADING: "gas-loading",
    Technology.Approach.OTHER: "unconventional",
    Technology.Approach.UNKNOWN: "low-energy nuclear",
}
TOPICS = (
    "Funding", "Patents", "Replications", "Excess heat", "Transmutation", "Nickel-hydrogen",
    "Palladium-deuterium", "Government programs", "Conferences", "Lawsuits", "Commercialization",
    "Theory", "Calorimetry", "China", "Japan", "Europe", "United States", "Russia", "Universities",
    "Startups", "Investors", "Skeptics", "Peer review", "Licensing", "Plasma",
)  # fmt: skip
PUBLISHERS = (
    "Vortex-L", "E-Cat World", "Infinite Energy", "LENR Forum", "New Energy Times", "Cold Fusion Now",
    "Journal of Condensed Matter Nuclear Science", "Reuters", "Wired", "Nature", "Forbes", "Il Sole 24 Ore",
    "Nikkei", "Xinhua", "The Guardian", "Ny Teknik", "Physics Today", "ICCF proceedings", "Hacker News",
    "Company press release", "Court filing", "Patent office", "Personal blog", "Twitter", "YouTube",
)  # fmt: skip
CURRENCY_RATES = {  # deal currency -> (weight, USD per unit), a fixed illustrative rate
    "USD": (55, Decimal("1")),
    "EUR": (15, Decimal("1.10")),
    "GBP": (6, Decimal("1.28")),
    "JPY": (6, Decimal("0.0072")),
    "CNY": (6, Decimal("0.14")),
    "SEK": (3, Decimal("0.095")),
    "CHF": (3, Decimal("1.12")),
    "INR": (2, Decimal("0.012")),
    "RUB": (2, Decimal("0.011")),
    "AUD": (2, Decimal("0.66")),
}
CONFIDENCE_WEIGHTS = {
    Confidence.CONFIRMED: 35,
    Confidence.REPORTED: 35,
    Confidence.RUMORED: 15,
    Confidence.DISPUTED: 10,
    Confidence.DENIED: 5,
}
PRECISION_WEIGHTS = {DatePrecision.DAY: 60, DatePrecision.MONTH: 25, DatePrecision.YEAR: 15}
AFFILIATION_TITLES = {
    Affiliation.Role.CEO: "Chief executive officer",
    Affiliation.Role.EXECUTIVE: "Vice president",
    Affiliation.Role.CHIEF_SCIENTIST: "Chief scientific officer",
    Affiliation.Role.BOARD_MEMBER: "Director",
    Affiliation.Role.BACKER: "Managing partner",
}

ADJECTIVES = (
    "anomalous excess thermal nuclear independent preliminary calibrated unexplained careful reproducible "
    "controversial steady sustained modest significant positive negative public private new early later "
    "detailed brief commercial industrial experimental theoretical isotopic sealed heated loaded"
).split()
NOUNS = (
    "heat power reactor cell cathode electrode sample calorimeter measurement result replication test run "
    "experiment claim report patent license agreement investment round funding program team laboratory "
    "prototype device plant customer contract protocol signal helium tritium output input ratio energy "
    "hydrogen deuterium nickel palladium powder foil wire lattice temperature pressure spectrum analysis"
).split()
VERBS = (
    "showed reported measured produced confirmed disputed described presented published announced "
    "questioned examined replicated observed doubled exceeded matched recorded tested explained"
).split()
PREPOSITIONS = "in of with from during after before under over across".split()
DETERMINERS = "the a its their one another".split()
DEAL_VERBS = {
    Investment.Kind.EQUITY: "takes a stake in",
    Investment.Kind.ACQUISITION: "acquires",
    Investment.Kind.LICENSE: "licenses technology from",
    Investment.Kind.GRANT: "awards a grant to",
    Investment.Kind.GOVERNMENT_FUNDING: "funds",
    Investment.Kind.TECHNOLOGY_TRANSFER: "transfers technology to",
    Investment.Kind.PARTNERSHIP: "partners with",
    Investment.Kind.LOAN: "lends to",
    Investment.Kind.SETTLEMENT: "settles with",
}
DEAL_KIND_WEIGHTS = {
    Investment.Kind.EQUITY: 30,
    Investment.Kind.ACQUISITION: 6,
    Investment.Kind.LICENSE: 14,
    Investment.Kind.GRANT: 12,
    Investment.Kind.GOVERNMENT_FUNDING: 10,
    Investment.Kind.TECHNOLOGY_TRANSFER: 6,
    Investment.Kind.PARTNERSHIP: 14,
    Investment.Kind.LOAN: 5,
    Investment.Kind.SETTLEMENT: 3,
}
HEADLINES = (
    "{org} reports excess heat in {tech} tests",
    "{person} presents new {tech} results",
    "{org} and {org2} sign agreement",
    "Questions over {org}'s claims",
    "{org} raises money for {tech}",
    "{person} joins {org}",
    "Replication of {tech} fails at {org}",
    "{org} files patent on {tech}",
    "Inside {org}'s laboratory",
    "{person} on the state of the field",
    "{org} plans pilot plant",
    "{org2} denies deal with {org}",
)


class Progress:
    """A progress bar on stderr: redrawn in place on a terminal, a line every 10% otherwise."""

    def __init__(self, stream, enabled):
        self.stream = stream
        self.enabled = enabled
        self.tty = enabled and hasattr(stream, "isatty") and stream.isatty()

    def start(self, label, total):
        self.label, self.total, self.done, self.started = label, max(total, 1), 0, time.monotonic()
        self.shown = -1
        self._draw()

    def advance(self, count=1):
        self.done = min(self.done + count, self.total)
        self._draw()

    def finish(self):
        self.done = self.total
        self._draw(final=True)

    def _draw(self, final=False):
        if not self.enabled:
            return
        percent = 100 * self.done // self.total
        step = percent if self.tty else percent // 10 * 10
        if step == self.shown and not final:
            return
        if final and self.shown == 100 and not self.tty:
            return
        self.shown = step
        filled = 30 * self.done // self.total
        bar = "#" * filled + "-" * (30 - filled)
        line = (
            f"  {self.label:<14} [{bar}] {self.done:>7}/{self.total:<7} {percent:3d}%"
            f"  {time.monotonic() - self.started:6.1f}s"
        )
        if self.tty:
            self.stream.write("\r" + line + ("\n" if final else ""))
        else:
            self.stream.write(line + "\n")
        self.stream.flush()


class UniqueSlugs:
    """Slugs not yet taken, in the table and in this run: 'name', 'name-2', 'name-3'..."""

    def __init__(self, model, max_length):
        self.taken = set(model.objects.values_list("slug", flat=True))
        self.max_length = max_length

    def make(self, text):
        base = slugify(text)[: self.max_length - 8] or "item"
        slug, n = base, 1
        while slug in self.taken:
            n += 1
            slug = f"{base}-{n}"
        self.taken.add(slug)
        return slug


class Generator:
    """Builds the rows of one run from one random.Random, then bulk-inserts them."""

    def __init__(self, *, seed, sizes, progress):
        self.rng = random.Random(seed)
        self.sizes = sizes
        self.progress = progress
        self.now = timezone.now()
        self.last_day = min(LAST_DAY, timezone.localdate())

    # --- random helpers

    def weighted(self, weights):
        return self.rng.choices(list(weights), weights=list(weights.values()))[0]

    def sample_upto(self, items, low, high):
        return self.rng.sample(items, min(len(items), self.rng.randint(low, high)))

    def partial_date(self, first_year=FIRST_YEAR, last_day=None):
        """A random date and its precision; month- and year-precise dates fall on the first."""
        last_day = last_day or self.last_day
        start = datetime.date(first_year, 1, 1)
        span = max((last_day - start).days, 0)
        # Weighted toward recent years, as coverage of the field is.
        day = start + datetime.timedelta(days=int(span * self.rng.random() ** 0.7))
        precision = self.weighted(PRECISION_WEIGHTS)
        if precision == DatePrecision.MONTH:
            day = day.replace(day=1)
        elif precision == DatePrecision.YEAR:
            day = day.replace(month=1, day=1)
        return day, precision

    def country(self):
        if self.rng.random() < 0.75:
            return self.weighted(COUNTRY_WEIGHTS)
        return self.rng.choice(list(COUNTRIES))

    def person_name(self, used):
        for _ in range(20):
            name = f"{self.rng.choice(FIRST_NAMES)} {self.rng.choice(LAST_NAMES)}"
            if name not in used:
                break
        else:
            initial = self.rng.choice("ABCDEFGHJKLMNPRSTVW")
            name = f"{self.rng.choice(FIRST_NAMES)} {initial}. {self.rng.choice(LAST_NAMES)}"
        used.add(name)
        return name

    def bulk(self, model, objects, label=None, batch_size=BATCH_SIZE):
        """Insert ``objects`` in batches (primary keys are set on them), showing progress."""
        if label:
            self.progress.start(label, len(objects))
        for start in range(0, len(objects), batch_size):
            model.objects.bulk_create(objects[start : start + batch_size], batch_size=batch_size)
            if label:
                self.progress.advance(len(objects[start : start + batch_size]))
        if label:
            self.progress.finish()
        return objects

    # --- the run

    def run(self):
        self.users = self.make_users()
        self.topics = self.make_topics()
        self.organizations = self.make_organizations()
        self.people = self.make_people()
        self.technologies = self.make_technologies()
        self.sources = self.make_sources()
        self.articles = self.make_articles()
        self.published = [a for a in self.articles if a.status == Article.Status.PUBLISHED and a.publish_at <= self.now]
        self.investments = self.make_investments()
        self.stakes = self.make_stakes()
        self.affiliations = self.make_affiliations()
        self.make_lifecycles()
        self.events = self.make_events()
        self.make_citations()

    def make_users(self):
        user_model = get_user_model()
        taken = set(
            user_model.objects.filter(username__startswith=GENERATED_USERNAME_PREFIX).values_list("username", flat=True)
        )
        used, users = set(), []
        password = make_password(None)
        for n in range(1, 13):
            username = f"{GENERATED_USERNAME_PREFIX}{n}"
            first, last = self.person_name(used).split(" ", 1)
            if username not in taken:
                users.append(user_model(username=username, first_name=first, last_name=last, password=password))
        user_model.objects.bulk_create(users)
        return list(user_model.objects.filter(username__startswith=GENERATED_USERNAME_PREFIX).order_by("username"))

    def make_topics(self):
        existing = {t.name: t for t in Topic.objects.filter(name__in=TOPICS)}
        slugs = UniqueSlugs(Topic, 120)
        new = [
            Topic(name=name, slug=slugs.make(name), description=f"Articles about {name.lower()} in the LENR field.")
            for name in TOPICS
            if name not in existing
        ]
        Topic.objects.bulk_create(new)
        return list(existing.values()) + new

    def organization_name(self, kind, country, city):
        rng = self.rng
        if kind == Organization.Kind.UNIVERSITY:
            return rng.choice((f"University of {city.split(',')[0]}", f"{city.split(',')[0]} Institute of Technology",
                               f"{rng.choice(ORG_PREFIXES)} University"))  # fmt: skip
        if kind == Organization.Kind.GOVERNMENT:
            return f"{countries.name(country)} {rng.choice(GOVERNMENT_BODIES)}"
        if kind == Organization.Kind.TECHNOLOGY_PARK:
            return f"{city.split(',')[0]} {rng.choice(('Technology Park', 'Science Park', 'Innovation Zone'))}"
        core = "" if kind == Organization.Kind.INVESTOR and rng.random() < 0.6 else f" {rng.choice(ORG_CORES)}"
        return f"{rng.choice(ORG_PREFIXES)}{core} {rng.choice(KIND_SUFFIXES[kind])}"

    def make_organizations(self):
        rng, total = self.rng, self.sizes["organizations"]
        slugs, used = UniqueSlugs(Organization, 200), set(Organization.objects.values_list("name", flat=True))
        organizations = []
        for _ in range(total):
            kind = self.weighted(KIND_WEIGHTS)
            country = self.country()
            city = rng.choice(COUNTRIES[country])
            name = self.organization_name(kind, country, city)
            if name in used:
                name = f"{name} ({city.split(',')[0]})"
            n = 1
            while name in used:
                n += 1
                name = f"{name.rsplit(' #', 1)[0]} #{n}"
            used.add(name)
            words = [w for w in name.replace("(", "").split() if w[0].isupper()]
            aliases = []
            if len(words) >= 2 and rng.random() < 0.5:
                aliases.append("".join(w[0] for w in words))
            if kind == Organization.Kind.COMPANY and rng.random() < 0.3:
                aliases.append(name.rsplit(" ", 1)[0])
            founded = rng.randint(1950, LAST_YEAR) if rng.random() < 0.85 else None
            if kind in (Organization.Kind.COMPANY, Organization.Kind.INVESTOR) and founded:
                founded = max(founded, rng.randint(1985, LAST_YEAR))
            dissolved = None
            if founded and founded < LAST_YEAR and rng.random() < 0.1:
                dissolved = rng.randint(founded, LAST_YEAR)
            domain = slugify(name).replace("-", "")[:30]
            organizations.append(
                Organization(
                    name=name,
                    slug=slugs.make(name),
                    aliases="\n".join(aliases),
                    kind=kind,
                    country=country,
                    city=city,
                    founded=founded,
                    dissolved=dissolved,
                    website=f"https://www.{domain}.example" if rng.random() < 0.7 else "",
                    summary=self.organization_summary(kind, city),
                    description=self.short_markdown(name),
                )
            )
        self.bulk(Organization, organizations, "organizations")
        # Some are subsidiaries or funds of an organization made before them: no cycles.
        children = [o for i, o in enumerate(organizations) if i > 0 and rng.random() < 0.05]
        for child in children:
            child.parent = organizations[rng.randrange(organizations.index(child))]
        Organization.objects.bulk_update(children, ["parent"], batch_size=BATCH_SIZE)
        return organizations

    def organization_summary(self, kind, city):
        what = {
            Organization.Kind.COMPANY: "Develops",
            Organization.Kind.INVESTOR: "Invests in",
            Organization.Kind.RESEARCH_LAB: "Studies",
            Organization.Kind.UNIVERSITY: "Hosts research on",
            Organization.Kind.GOVERNMENT: "Funds research on",
            Organization.Kind.MEDIA: "Reports on",
            Organization.Kind.TECHNOLOGY_PARK: "Hosts companies working on",
            Organization.Kind.NONPROFIT: "Promotes",
        }[kind]
        approach = self.rng.choice(list(APPROACH_WORDS.values()))
        return f"{what} {approach} energy systems; based in {city}."

    def short_markdown(self, name):
        sentences = [self.sentence() for _ in range(self.rng.randint(2, 5))]
        return f"**{name}** " + " ".join(sentences)

    def make_people(self):
        rng = self.rng
        slugs, used = UniqueSlugs(Person, 200), set(Person.objects.values_list("name", flat=True))
        people = []
        for _ in range(self.sizes["people"]):
            name = self.person_name(used)
            first, last = name.split(" ", 1)
            people.append(
                Person(
                    name=name,
                    slug=slugs.make(name),
                    aliases=f"{first[0]}. {last}" if rng.random() < 0.3 else "",
                    country=self.country(),
                    born=rng.randint(1925, 1990) if rng.random() < 0.25 else None,
                    bio=f"{name} works on {rng.choice(list(APPROACH_WORDS.values()))} experiments. {self.sentence()}",
                    website=f"https://{slugify(name)}.example" if rng.random() < 0.15 else "",
                )
            )
        return self.bulk(Person, people, "people")

    def make_technologies(self):
        rng = self.rng
        slugs, used = UniqueSlugs(Technology, 200), set(Technology.objects.values_list("name", flat=True))
        technologies = []
        for _ in range(self.sizes["technologies"]):
            name = f"{rng.choice(TECH_PREFIXES)}-{rng.choice(TECH_SUFFIXES)}"
            if name in used or rng.random() < 0.3:
                name = f"{name} {rng.choice(('II', 'III', 'X', 'Mk 2', 'Gen 3', 'HT', 'Q'))}{rng.randint(1, 99)}"
            while name in used:
                name = f"{name}{rng.randint(0, 9)}"
            used.add(name)
            approach = rng.choice(Technology.Approach.values)
            technologies.append(
                Technology(
                    name=name,
                    slug=slugs.make(name),
                    aliases=name.replace("-", " ") if rng.random() < 0.2 else "",
                    approach=approach,
                    stage=rng.choice(Technology.Stage.values),
                    summary=f"A {APPROACH_WORDS[approach]} {rng.choice(('reactor', 'cell', 'heat source', 'device'))}.",
                    description=self.short_markdown(name),
                )
            )
        self.bulk(Technology, technologies, "technologies")
        through = Technology.inventors.through
        rows = [
            through(technology_id=t.pk, person_id=p.pk)
            for t in technologies
            if rng.random() < 0.7
            for p in self.sample_upto(self.people, 1, 3)
        ]
        self.bulk(through, rows)
        return technologies

    def make_sources(self):
        """Sources in three generations: originals, then reports relaying them, then relays of relays."""
        rng, total = self.rng, self.sizes["sources"]
        media = [o for o in self.organizations if o.kind == Organization.Kind.MEDIA]
        sizes = [total - total * 4 // 10, total * 3 // 10, total // 10]
        self.progress.start("sources", total)
        sources, previous = [], []
        for generation, size in enumerate(sizes):
            batch = []
            for _ in range(size):
                via = rng.choice(previous) if generation and previous else None
                first_day = via.published_on if via else datetime.date(FIRST_YEAR, 1, 1)
                if via:
                    published_on = min(first_day + datetime.timedelta(days=rng.randint(0, 60)), self.last_day)
                    precision = DatePrecision.DAY
                else:
                    published_on, precision = self.partial_date()
                organization = rng.choice(media) if media and rng.random() < 0.25 else None
                publisher = organization.name if organization else rng.choice(PUBLISHERS)
                speaker = rng.choice(self.people).name if rng.random() < 0.6 else ""
                title = f"{self.sentence(words=rng.randint(4, 9)).rstrip('.')}"
                batch.append(
                    Source(
                        title=title[:300],
                        url=f"https://{slugify(publisher)}.example/{published_on:%Y/%m}/{slugify(title)[:60]}",
                        publisher=publisher,
                        publisher_organization=organization,
                        published_on=published_on,
                        published_precision=precision,
                        quote=self.sentence() if rng.random() < 0.5 else "",
                        attributed_to=f"{speaker}, {publisher}" if speaker else "",
                        # A speaker makes it a self-claim for the claims that organization is a party of.
                        speaker_organization=rng.choice(self.organizations) if rng.random() < 0.15 else None,
                        via=via,
                        reliability="Second-hand: relays another report." if via else "",
                    )
                )
            for start in range(0, len(batch), BATCH_SIZE):
                Source.objects.bulk_create(batch[start : start + BATCH_SIZE])
                self.progress.advance(len(batch[start : start + BATCH_SIZE]))
            previous = batch
            sources.extend(batch)
        self.progress.finish()
        return sources

    # --- article text

    def sentence(self, words=None):
        """A plausible-looking sentence from the vocabulary, about ``words`` words long."""
        rng = self.rng
        parts = [
            rng.choice(DETERMINERS).capitalize(),
            rng.choice(ADJECTIVES),
            rng.choice(NOUNS),
            rng.choice(VERBS),
            rng.choice(DETERMINERS),
            rng.choice(ADJECTIVES),
            rng.choice(NOUNS),
        ]
        target = words or rng.randint(8, 20)
        while len(parts) < target:
            parts += [rng.choice(PREPOSITIONS), rng.choice(DETERMINERS), rng.choice(NOUNS)]
        return " ".join(parts[:target]) + "."

    def entity_sentence(self, organizations, people, technologies):
        rng = self.rng
        org = rng.choice(organizations)
        name = org.name
        if org.aliases and rng.random() < 0.3:
            name = org.aliases.splitlines()[0]
        options = [
            f"{name} said the {rng.choice(NOUNS)} {rng.choice(VERBS)} {rng.randint(2, 900)} watts of excess heat.",
            f"According to {name}, the {rng.choice(ADJECTIVES)} {rng.choice(NOUNS)} was {rng.choice(VERBS)} twice.",
            f"A spokesperson for {name} declined to comment on the {rng.choice(NOUNS)}.",
        ]
        if people:
            person = rng.choice(people).name
            options += [
                f'"The {rng.choice(NOUNS)} is {rng.choice(ADJECTIVES)}," said {person} of {org.name}.',
                f"{person} {rng.choice(VERBS)} the {rng.choice(ADJECTIVES)} {rng.choice(NOUNS)} in {rng.randint(1989, 2026)}.",  # noqa: E501
            ]
        if technologies:
            tech = rng.choice(technologies).name
            options += [
                f"The {tech} {rng.choice(VERBS)} a {rng.choice(ADJECTIVES)} {rng.choice(NOUNS)} at {org.name}.",
                f"{name} holds rights to the {tech}, a {rng.choice(ADJECTIVES)} {rng.choice(NOUNS)}.",
            ]
        return rng.choice(options)

    def article_body(self, organizations, people, technologies):
        """Markdown of 300 to 1,500 words that names every linked entity at least once."""
        rng = self.rng
        # A paragraph may run past the target by up to about 160 words.
        target = rng.randint(300, 1340)
        must_name = [e.name for e in (*organizations, *people, *technologies)]
        blocks, count, paragraphs_since_heading, last_was_list = [], 0, 0, False
        while count < target or must_name:
            if paragraphs_since_heading >= rng.randint(3, 6):
                heading = f"## {rng.choice(ADJECTIVES).capitalize()} {rng.choice(NOUNS)}"
                blocks.append(heading)
                paragraphs_since_heading, last_was_list = 0, False
                count += 2
                continue
            roll = rng.random()
            if roll < 0.06 and not last_was_list:
                items = [f"- {self.sentence(words=rng.randint(5, 10))}" for _ in range(rng.randint(3, 5))]
                blocks.append("\n".join(items))
                last_was_list = True
                count += sum(len(i.split()) for i in items)
                continue
            sentences = [self.sentence() for _ in range(rng.randint(3, 6))]
            for _ in range(rng.randint(1, 2)):
                sentences.insert(
                    rng.randrange(len(sentences) + 1), self.entity_sentence(organizations, people, technologies)
                )
            for _ in range(min(2, len(must_name))):
                sentences.insert(0, self.named_sentence(must_name.pop()))
            if roll > 0.95:
                paragraph = "> " + " ".join(sentences[:2])
            else:
                paragraph = " ".join(sentences)
                if rng.random() < 0.2:
                    paragraph = paragraph.replace(organizations[0].name, f"**{organizations[0].name}**", 1)
            blocks.append(paragraph)
            last_was_list = False
            paragraphs_since_heading += 1
            count += len(paragraph.split())
        return "\n\n".join(blocks)

    def named_sentence(self, name):
        rng = self.rng
        return rng.choice(
            (
                f"{name} is at the center of this story.",
                f"Observers have followed {name} closely for years.",
                f"The role of {name} remains {rng.choice(ADJECTIVES)}.",
                f"{name} did not respond to a request for comment.",
            )
        )

    def make_articles(self):
        rng, total = self.rng, self.sizes["articles"]
        slugs = UniqueSlugs(Article, 300)
        start = datetime.datetime(FIRST_YEAR, 1, 1, tzinfo=datetime.UTC)
        end = min(datetime.datetime.combine(self.last_day, datetime.time(18), tzinfo=datetime.UTC), self.now)
        span = (end - start).total_seconds()
        articles, links = [], []
        self.progress.start("article text", total)
        for _ in range(total):
            organizations = self.sample_upto(self.organizations, 1, 4)
            people = self.sample_upto(self.people, 0, 3)
            technologies = self.sample_upto(self.technologies, 0, 2)
            names = {"org": organizations[0].name, "org2": organizations[-1].name if len(organizations) > 1 else None}
            names["person"] = people[0].name if people else None
            names["tech"] = technologies[0].name if technologies else None
            # Only headlines whose every name is one the article mentions.
            headlines = [h for h in HEADLINES if all(names[key] for key in names if "{" + key + "}" in h)]
            headline = rng.choice(headlines).format(**names)
            roll = rng.random()
            publish_at = start + datetime.timedelta(seconds=span * rng.random() ** 0.5)
            if roll < 0.88:
                status = Article.Status.PUBLISHED
            elif roll < 0.92:
                status, publish_at = Article.Status.PUBLISHED, self.now + datetime.timedelta(hours=rng.randint(1, 2000))
            elif roll < 0.96:
                status, publish_at = Article.Status.REVIEW, None
            else:
                status, publish_at = Article.Status.DRAFT, None
            author = rng.choice(self.users)
            body = self.article_body(organizations, people, technologies)
            articles.append(
                Article(
                    title=headline[:300],
                    slug=slugs.make(headline),
                    standfirst=self.sentence(words=rng.randint(15, 30)),
                    body=body,
                    body_html=render_markdown(body),
                    author=author,
                    byline="Staff and agencies" if rng.random() < 0.05 else "",
                    status=status,
                    publish_at=publish_at,
                )
            )
            links.append(
                (
                    organizations,
                    people,
                    technologies,
                    self.sample_upto(self.topics, 1, 3),
                    self.sample_upto(self.sources, 0, 3),
                )
            )
            self.progress.advance()
        self.progress.finish()
        self.bulk(Article, articles, "articles", batch_size=500)
        # Bylines: each writer's author profile; some articles have a second author.
        profiles = {user.pk: Author.for_user(user) for user in self.users}
        byline_rows = []
        for article in articles:
            if article.byline:
                continue
            byline_rows.append(ArticleAuthor(article=article, author=profiles[article.author_id], position=0))
            if rng.random() < 0.1:
                other = profiles[rng.choice(self.users).pk]
                if other.pk != profiles[article.author_id].pk:
                    byline_rows.append(ArticleAuthor(article=article, author=other, position=1))
        self.bulk(ArticleAuthor, byline_rows)

        org_rows, person_rows, tech_rows, topic_rows, source_rows = [], [], [], [], []
        for article, (organizations, people, technologies, topics, sources) in zip(articles, links, strict=True):
            org_rows += [OrganizationMention(article=article, organization=o, detected=True) for o in organizations]
            person_rows += [PersonMention(article=article, person=p, detected=True) for p in people]
            tech_rows += [TechnologyMention(article=article, technology=t, detected=True) for t in technologies]
            topic_rows += [Article.topics.through(article_id=article.pk, topic_id=t.pk) for t in topics]
            source_rows += [Article.sources.through(article_id=article.pk, source_id=s.pk) for s in sources]
        self.progress.start(
            "article links", len(org_rows) + len(person_rows) + len(tech_rows) + len(topic_rows) + len(source_rows)
        )
        for model, rows in (
            (OrganizationMention, org_rows),
            (PersonMention, person_rows),
            (TechnologyMention, tech_rows),
            (Article.topics.through, topic_rows),
            (Article.sources.through, source_rows),
        ):
            self.bulk(model, rows)
            self.progress.advance(len(rows))
        self.progress.finish()
        return articles

    # --- claims

    def amount(self, kind):
        """A deal amount and currency, or (None, currency) when undisclosed."""
        rng = self.rng
        currency = self.weighted({code: weight for code, (weight, _) in CURRENCY_RATES.items()})
        undisclosed = 0.6 if kind in (Investment.Kind.PARTNERSHIP, Investment.Kind.TECHNOLOGY_TRANSFER) else 0.15
        if rng.random() < undisclosed:
            return None, None, currency
        usd = 10 ** rng.uniform(4, 8.7)  # $10,000 to about $500 million, log-uniform
        rate = CURRENCY_RATES[currency][1]
        digits = max(int(math.log10(usd)) - 2, 0)
        amount = Decimal(round(float(usd / float(rate)), -digits)).quantize(Decimal("1"))
        amount_usd = amount if currency == "USD" else (amount * rate).quantize(Decimal("0.01"))
        return amount, amount_usd, currency

    def claim_links(self, model, claims, sources_range, articles_range):
        """The sources and reported_in rows of a list of claims."""
        source_rows = [
            model.sources.through(**{f"{model._meta.model_name}_id": c.pk, "source_id": s.pk})
            for c in claims
            for s in self.sample_upto(self.sources, *sources_range)
        ]
        article_rows = [
            model.reported_in.through(**{f"{model._meta.model_name}_id": c.pk, "article_id": a.pk})
            for c in claims
            for a in self.sample_upto(self.published, *articles_range)
        ]
        self.bulk(model.sources.through, source_rows)
        self.bulk(model.reported_in.through, article_rows)

    def make_investments(self):
        rng = self.rng
        slugs = UniqueSlugs(Investment, 300)
        funders = [
            o
            for o in self.organizations
            if o.kind in (Organization.Kind.INVESTOR, Organization.Kind.COMPANY, Organization.Kind.GOVERNMENT)
        ] or self.organizations
        investments, parties = [], []
        for _ in range(self.sizes["investments"]):
            kind = self.weighted(DEAL_KIND_WEIGHTS)
            investors = self.sample_upto(funders, 1, 3)
            people = self.sample_upto(self.people, 1, 2) if rng.random() < 0.2 else []
            recipient = rng.choice(self.organizations) if rng.random() < 0.92 else None
            # Grants and programmes often fund several recipients at once.
            shared = kind in (Investment.Kind.GRANT, Investment.Kind.GOVERNMENT_FUNDING) and rng.random() < 0.3
            recipients = [recipient] if recipient else []
            if recipient and shared:
                recipients += self.sample_upto(self.organizations, 1, 3)
            recipients = list(dict.fromkeys(recipients))
            investors = [o for o in investors if o not in recipients]
            technologies = self.sample_upto(self.technologies, 0, 2)
            amount, amount_usd, currency = self.amount(kind)
            announced_on, precision = self.partial_date()
            lead = investors[0].name if investors else people[0].name if people else rng.choice(funders).name
            title = f"{lead} {DEAL_VERBS[kind]} {recipient.name if recipient else 'a consortium'}"
            if technologies and rng.random() < 0.5:
                title += f" over the {technologies[0].name}"
            investments.append(
                Investment(
                    title=title[:300],
                    slug=slugs.make(f"{title} {announced_on.year}"),
                    kind=kind,
                    amount=amount,
                    currency=currency,
                    amount_usd=amount_usd,
                    announced_on=announced_on,
                    date_precision=precision,
                    confidence=self.weighted(CONFIDENCE_WEIGHTS),
                    summary=" ".join(self.sentence() for _ in range(rng.randint(1, 3))),
                    notes="Amount not disclosed." if amount is None and rng.random() < 0.5 else "",
                )
            )
            parties.append((investors, people, technologies, recipients))
        self.bulk(Investment, investments, "deals")
        self.bulk(
            InvestorOrganization,
            [
                InvestorOrganization(investment=i, organization=o, is_lead=len(orgs) > 1 and n == 0)
                for i, (orgs, _, _, _) in zip(investments, parties, strict=True)
                for n, o in enumerate(orgs)
            ],
        )
        self.bulk(
            InvestorPerson,
            [
                InvestorPerson(investment=i, person=p)
                for i, (_, ps, _, _) in zip(investments, parties, strict=True)
                for p in ps
            ],
        )
        recipient_rows = []
        for i, (_, _, _, orgs) in zip(investments, parties, strict=True):
            # A shared deal's own parts are known for some: an even split of the amount.
            split = i.amount_usd is not None and len(orgs) > 1 and rng.random() < 0.4
            for o in orgs:
                part = (i.amount_usd / len(orgs)).quantize(Decimal("0.01")) if split else None
                own = (i.amount / len(orgs)).quantize(Decimal("0.01")) if split and i.amount is not None else None
                recipient_rows.append(RecipientOrganization(investment=i, organization=o, amount=own, amount_usd=part))
        self.bulk(RecipientOrganization, recipient_rows)
        self.bulk(
            RecipientPerson,
            [
                RecipientPerson(investment=i, person=p)
                for i in investments
                if rng.random() < 0.04
                for p in self.sample_upto(self.people, 1, 1)
            ],
        )
        self.bulk(
            Investment.technologies.through,
            [
                Investment.technologies.through(investment_id=i.pk, technology_id=t.pk)
                for i, (_, _, techs, _) in zip(investments, parties, strict=True)
                for t in techs
            ],
        )
        self.claim_links(Investment, investments, (1, 3), (0, 2))
        return investments

    def make_stakes(self):
        rng, total = self.rng, self.sizes["stakes"]
        holders = [o for o in self.organizations if o.kind != Organization.Kind.MEDIA] or self.organizations
        licenses = [i for i in self.investments if i.kind in (Investment.Kind.LICENSE, Investment.Kind.ACQUISITION)]
        possible = len(holders) * len(self.technologies) * len(TechnologyStake.Kind.values)
        if total > possible:
            raise CommandError(f"At most {possible} stakes fit these organizations and technologies.")
        seen, stakes = set(), []
        while len(stakes) < total:
            organization, technology = rng.choice(holders), rng.choice(self.technologies)
            kind = rng.choice(TechnologyStake.Kind.values)
            if (organization.pk, technology.pk, kind) in seen:
                continue
            seen.add((organization.pk, technology.pk, kind))
            since, precision = self.partial_date(first_year=organization.founded or FIRST_YEAR)
            until, until_precision, until_unknown = None, DatePrecision.DAY, False
            ending = rng.random()
            if ending < 0.2:
                until, until_precision = self.partial_date(first_year=since.year)
                until = max(until, since)
            elif ending < 0.25:
                until_unknown = True
            stakes.append(
                TechnologyStake(
                    organization=organization,
                    technology=technology,
                    kind=kind,
                    since=since,
                    since_precision=precision,
                    until=until,
                    until_precision=until_precision,
                    until_unknown=until_unknown,
                    confidence=self.weighted(CONFIDENCE_WEIGHTS),
                    investment=rng.choice(licenses) if licenses and rng.random() < 0.15 else None,
                )
            )
        self.bulk(TechnologyStake, stakes, "stakes")
        self.claim_links(TechnologyStake, stakes, (0, 2), (0, 1))
        return stakes

    def make_lifecycles(self):
        """Status moves after the announcement for some deals (events of kind deal_status), and each deal's
        status as the latest move at least reported sets it (computed here: bulk inserts send no signals)."""
        rng, moves, links, updated = self.rng, [], [], []
        slugs = UniqueSlugs(Event, 300)
        reported = set(Confidence.at_least(Confidence.REPORTED))
        for deal in self.investments:
            path = self.weighted(LIFECYCLE_PATHS)
            day = deal.announced_on
            latest = None
            for status in path:
                day = min(day + datetime.timedelta(days=rng.randint(30, 900)), self.last_day)
                event = Event(
                    title=f"{deal.title[:240]}: {status}",
                    slug=slugs.make(f"{deal.slug[:200]} {status}"),
                    kind=Event.Kind.DEAL_STATUS,
                    new_status=status,
                    occurred_on=day,
                    date_precision=self.weighted(PRECISION_WEIGHTS),
                    confidence=self.weighted(CONFIDENCE_WEIGHTS),
                )
                moves.append(event)
                links.append((event, deal))
                if event.confidence in reported:
                    latest = event
            if latest is not None:
                updated.append((deal, latest))
        self.bulk(Event, moves, "deal moves")
        self.bulk(
            Event.investments.through,
            [Event.investments.through(event_id=e.pk, investment_id=d.pk) for e, d in links],
        )
        for deal, event in updated:
            deal.status, deal.status_event = event.new_status, event
            deal.ended_on = event.occurred_on if event.new_status in Investment.ENDED else None
        Investment.objects.bulk_update([d for d, _ in updated], ["status", "status_event", "ended_on"], BATCH_SIZE)
        self.claim_links(Event, moves, (1, 2), (0, 1))

    def make_events(self):
        """Lawsuits, statements, demonstrations, papers, patents...: each with parties, some with deals."""
        rng, slugs, events, parties = self.rng, UniqueSlugs(Event, 300), [], []
        for _ in range(self.sizes["events"]):
            kind = self.weighted(EVENT_KIND_WEIGHTS)
            organizations = self.sample_upto(self.organizations, 1, 2)
            people = self.sample_upto(self.people, 0, 2)
            day, precision = self.partial_date()
            title = f"{organizations[0].name}: {Event.Kind(kind).label.lower()}"
            events.append(
                Event(
                    title=title[:300],
                    slug=slugs.make(f"{title} {day.year}"),
                    kind=kind,
                    occurred_on=day,
                    date_precision=precision,
                    confidence=self.weighted(CONFIDENCE_WEIGHTS),
                    summary=" ".join(self.sentence() for _ in range(rng.randint(1, 3))),
                )
            )
            parties.append((kind, organizations, people))
        self.bulk(Event, events, "events")
        organization_rows, person_rows = [], []
        for event, (kind, organizations, people) in zip(events, parties, strict=True):
            roles = EVENT_ROLES.get(kind, ("", ""))
            organization_rows += [
                EventOrganization(event=event, organization=o, role=roles[min(n, 1)])
                for n, o in enumerate(organizations)
            ]
            person_rows += [EventPerson(event=event, person=p, role=roles[0]) for p in people]
        self.bulk(EventOrganization, organization_rows)
        self.bulk(EventPerson, person_rows)
        self.bulk(
            Event.technologies.through,
            [
                Event.technologies.through(event_id=e.pk, technology_id=t.pk)
                for e in events
                for t in self.sample_upto(self.technologies, 0, 1)
            ],
        )
        self.bulk(
            Event.investments.through,
            [
                Event.investments.through(event_id=e.pk, investment_id=d.pk)
                for e in events
                if rng.random() < 0.15
                for d in self.sample_upto(self.investments, 1, 1)
            ],
        )
        self.claim_links(Event, events, (1, 2), (0, 1))
        return events

    def make_citations(self):
        """Sources for some profile facts: an organization's founding year and country, a technology's stage."""
        rng = self.rng
        self.bulk(
            OrganizationCitation,
            [
                OrganizationCitation(
                    subject=o,
                    source=rng.choice(self.sources),
                    fields=[f for f in ("founded", "country", "city") if getattr(o, f)],
                )
                for o in self.organizations
                if rng.random() < 0.35 and (o.founded or o.country or o.city)
            ],
        )
        self.bulk(
            TechnologyCitation,
            [
                TechnologyCitation(subject=t, source=rng.choice(self.sources), fields=["approach", "stage"])
                for t in self.technologies
                if rng.random() < 0.3
            ],
        )
        self.bulk(
            PersonCitation,
            [
                PersonCitation(subject=p, source=rng.choice(self.sources), fields=["country"])
                for p in self.people
                if rng.random() < 0.15 and p.country
            ],
        )

    def make_affiliations(self):
        rng = self.rng
        affiliations = []
        for _ in range(self.sizes["affiliations"]):
            organization = rng.choice(self.organizations)
            if organization.kind == Organization.Kind.MEDIA:
                role = rng.choice((Affiliation.Role.JOURNALIST, Affiliation.Role.EMPLOYEE))
            else:
                role = rng.choice(Affiliation.Role.values)
            start = end = None
            start_precision = end_precision = DatePrecision.DAY
            if rng.random() < 0.85:
                start, start_precision = self.partial_date(first_year=organization.founded or FIRST_YEAR)
                if rng.random() < 0.45:
                    end, end_precision = self.partial_date(first_year=start.year)
                    end = max(end, start)
            end_unknown = end is None and rng.random() < 0.05
            affiliations.append(
                Affiliation(
                    person=rng.choice(self.people),
                    organization=organization,
                    role=role,
                    title=AFFILIATION_TITLES.get(role, ""),
                    start=start,
                    start_precision=start_precision,
                    end=end,
                    end_precision=end_precision,
                    end_unknown=end_unknown,
                    confidence=self.weighted(CONFIDENCE_WEIGHTS),
                )
            )
        self.bulk(Affiliation, affiliations, "affiliations")
        self.claim_links(Affiliation, affiliations, (0, 1), (0, 1))
        return affiliations


EVENT_KIND_WEIGHTS = {
    Event.Kind.ANNOUNCEMENT: 20,
    Event.Kind.STATEMENT: 15,
    Event.Kind.DEMONSTRATION: 10,
    Event.Kind.TEST_REPORT: 10,
    Event.Kind.PUBLICATION: 15,
    Event.Kind.PATENT_FILED: 8,
    Event.Kind.PATENT_GRANTED: 6,
    Event.Kind.LAWSUIT_FILED: 3,
    Event.Kind.LAWSUIT_SETTLED: 2,
    Event.Kind.LICENSE_TERMINATED: 2,
    Event.Kind.REVALUATION: 2,
    Event.Kind.WRITE_DOWN: 1,
    Event.Kind.FOUNDING: 4,
    Event.Kind.DISSOLUTION: 2,
}
EVENT_ROLES = {
    Event.Kind.LAWSUIT_FILED: ("plaintiff", "defendant"),
    Event.Kind.LAWSUIT_SETTLED: ("plaintiff", "defendant"),
    Event.Kind.PUBLICATION: ("author", "author"),
    Event.Kind.TEST_REPORT: ("tester", "developer"),
    Event.Kind.DEMONSTRATION: ("demonstrator", "witness"),
    Event.Kind.LICENSE_TERMINATED: ("licensor", "licensee"),
}
# The moves a deal makes after its announcement, and how often each path is taken.
LIFECYCLE_PATHS = {
    (): 55,
    (Investment.Status.SIGNED,): 15,
    (Investment.Status.SIGNED, Investment.Status.COMPLETED): 18,
    (Investment.Status.SIGNED, Investment.Status.TERMINATED): 6,
    (Investment.Status.SIGNED, Investment.Status.COMPLETED, Investment.Status.TERMINATED): 3,
    (Investment.Status.LAPSED,): 3,
}


def clear_content():
    """Delete every article, source, topic, deal, event, organization, person and technology, and their history.

    Raw deletes: no signals, so no history rows are written for what is removed.
    """
    models = []
    for model in (Investment, TechnologyStake, Affiliation, Event):
        models += [model.sources.through, model.reported_in.through]
    models += [Event.investments.through, Event.technologies.through, EventOrganization, EventPerson]
    models += [OrganizationCitation, PersonCitation, TechnologyCitation]
    models += [InvestorOrganization, InvestorPerson, RecipientOrganization, RecipientPerson]
    models += [Investment.technologies.through, TechnologyStake, Affiliation]
    models += [Investment, Event, OrganizationMention, PersonMention, TechnologyMention, Correction]
    models.append(ArticleAuthor)
    for field in ("topics", "sources", "rejected_organizations", "rejected_people", "rejected_technologies"):
        models.append(getattr(Article, field).through)
    models += [Article, Source, Topic, Technology.inventors.through, Technology, Person]
    for model in models:
        model._base_manager.all()._raw_delete(model._base_manager.db)
    # Parents are protected: unlink them, then delete every organization at once.
    Organization._base_manager.exclude(parent=None).update(parent=None)
    Organization._base_manager.all()._raw_delete(Organization._base_manager.db)
    for model in (
        Investment,
        Event,
        TechnologyStake,
        Affiliation,
        Article,
        Source,
        Correction,
        Technology,
        Person,
        Organization,
    ):
        model.history.model._base_manager.all()._raw_delete(model._base_manager.db)
    Author._base_manager.filter(user__username__startswith=GENERATED_USERNAME_PREFIX)._raw_delete(
        Author._base_manager.db
    )
    get_user_model()._base_manager.filter(username__startswith=GENERATED_USERNAME_PREFIX).delete()


class Command(BaseCommand):
    help = "Fill the database with realistic synthetic data (organizations, people, deals, articles...)."

    SIZES = {
        "organizations": 2000,
        "people": 3000,
        "technologies": 1000,
        "sources": 5000,
        "articles": 10000,
        "investments": 5000,
        "stakes": 4000,
        "affiliations": 4000,
        "events": 3000,
    }

    def add_arguments(self, parser):
        for name, default in self.SIZES.items():
            parser.add_argument(f"--{name}", type=int, default=default, help=f"How many {name} (default {default}).")
        parser.add_argument("--seed", type=int, default=1989, help="Random seed: the same seed gives the same data.")
        parser.add_argument("--clear", action="store_true", help="Delete all existing content (and its history) first.")
        parser.add_argument(
            "--noinput", "--no-input", action="store_false", dest="interactive", help="Do not ask before --clear."
        )

    def handle(self, *args, seed, clear, interactive, verbosity, **options):
        sizes = {name: options[name] for name in self.SIZES}
        negative = [name for name, value in sizes.items() if value < 0]
        if negative:
            raise CommandError(f"Sizes cannot be negative: {', '.join(negative)}.")
        empty = [name for name in ("organizations", "people", "technologies", "sources") if sizes[name] < 1]
        if empty:
            raise CommandError(f"Generated data needs at least one of each of: {', '.join(empty)}.")
        if clear and interactive and sys.stdin.isatty():
            answer = input(
                "This deletes every article, source, topic, deal, organization, person and technology. Type 'yes': "
            )
            if answer != "yes":
                raise CommandError("Cancelled.")

        started = time.monotonic()
        progress = Progress(self.stderr, enabled=verbosity > 0)
        with transaction.atomic():
            if clear:
                clear_content()
            generator = Generator(seed=seed, sizes=sizes, progress=progress)
            generator.run()
            refresh_lookup_keys()  # bulk_create skips the saves that keep the keys of names and addresses
        bump_generation()  # bulk_create sends no signals: make the cached pages stale.
        if connection.vendor == "postgresql" and not connection.in_atomic_block:
            # Fresh planner statistics, so the first queries on the new data use the indexes,
            # and (VACUUM, which cannot run inside a transaction) the search indexes' pending
            # lists merged: until then every full-text match scans them (0.1 ms to 35 ms).
            with connection.cursor() as cursor:
                cursor.execute("VACUUM ANALYZE")
        else:
            refresh_statistics()  # Fresh planner statistics (lenrnews/planner.py).
        if verbosity:
            counts = ", ".join(f"{value} {name}" for name, value in sizes.items())
            self.stdout.write(
                self.style.SUCCESS(f"Generated {counts} in {time.monotonic() - started:.1f}s (seed {seed}).")
            )
