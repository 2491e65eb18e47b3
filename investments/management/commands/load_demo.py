"""Load the demo data: the seed article and everything it names.

The facts come from the article alone, with the confidence it supports; what it
does not say is written down as not known rather than guessed. Its speculation
(that Industrial Heat might be funding Parkhomov, Piantelli, Celani, Brillouin and
JET Energy) is not recorded as deals: those are entities only.

Idempotent: every row is looked up by its slug (or natural key) and saved only
when something differs, so a second run changes nothing, not even the revision
history.
"""

import datetime
from decimal import Decimal
from pathlib import Path

from django.core.management.base import BaseCommand
from django.db import transaction

from articles.models import Article, Source, Topic
from investments.models import Event, EventOrganization, EventPerson, Investment
from lenrnews.cache import bump_generation
from lenrnews.models import Confidence, DatePrecision
from lenrnews.planner import refresh_statistics
from organizations.models import Affiliation, Organization, Person, Technology, TechnologyStake

ARTICLE_FILE = Path(__file__).resolve().parents[2] / "demo" / "industrial_heat_china.md"

# The article carries no date of its own. The Industrial Heat statement it quotes is
# dated 10 March 2016 and E-Cat World relayed HydroFusion's $121 million claim on
# 11 March 2016, so it was written on 11 March 2016 at the earliest: date it then.
# No time is known; noon UTC keeps it on 11 March in almost every time zone.
ARTICLE_PUBLISHED_AT = datetime.datetime(2016, 3, 11, 12, 0, tzinfo=datetime.UTC)

STATEMENT = (
    "Industrial Heat has licensed, acquired or invested in several LENR technologies from around the world. "
    "We have developed a group of LENR thought leaders, and we have built a world-class engineering team. "
    "We are pleased with the technologies we have assembled and with the group of scientists and engineers "
    "working on them. Presently, the Industrial Heat team is in the midst of assessing and prioritizing the "
    "technologies in our portfolio."
)


class Command(BaseCommand):
    help = "Load the demo data (the seed article and everything it names). Safe to run again."

    def handle(self, *args, **options):
        self.counts = {"created": 0, "updated": 0, "unchanged": 0}
        with transaction.atomic():
            self.load()
        bump_generation()  # The saves' signals did too; this also covers rows written in bulk.
        refresh_statistics()  # On a fresh database, the first statistics its tables have.
        self.stdout.write(
            self.style.SUCCESS(
                "Demo data: {created} created, {updated} updated, {unchanged} unchanged.".format(**self.counts)
            )
        )

    def upsert(self, model, key, values, many=None):
        """The row matching ``key``, created or brought up to date with ``values``.

        Saved (and so given a new revision) only when a value differs. ``many`` sets
        many-to-many relations, which add or remove only what differs.
        """
        obj = model.objects.filter(**key).first()
        if obj is None:
            obj = model(**key, **values)
            state = "created"
        else:
            changed = {name: value for name, value in values.items() if getattr(obj, name) != value}
            for name, value in changed.items():
                setattr(obj, name, value)
            state = "updated" if changed else "unchanged"
        if state != "unchanged":
            obj.full_clean()
            obj.save()
        for name, related in (many or {}).items():
            getattr(obj, name).set(related)
        self.counts[state] += 1
        return obj

    def load(self):
        topics = {
            slug: self.upsert(Topic, {"slug": slug}, {"name": name, "description": description})
            for slug, name, description in [
                ("industry", "Industry", "Companies, investors and the deals between them."),
                ("china", "China", "LENR in the People's Republic of China."),
            ]
        }
        orgs = self.load_organizations()
        people = self.load_people()
        e_cat = self.upsert(
            Technology,
            {"slug": "e-cat"},
            {
                "name": "E-Cat",
                "aliases": "Rossi's E-Cat",
                "approach": Technology.Approach.OTHER,
                "stage": Technology.Stage.LABORATORY,
                "summary": "Andrea Rossi's low energy nuclear reaction (LENR) technology.",
                "description": "Andrea Rossi's LENR technology, whose rights Industrial Heat owns. The article "
                "gives neither its approach nor how far it has been shown to work: approach and stage "
                "are not known.",
            },
            many={"inventors": [people["andrea-rossi"]]},
        )
        sources = self.load_sources(orgs)
        article = self.upsert(
            Article,
            {"slug": "industrial-heat-signs-deal-to-transfer-lenr-technology-to-china"},
            {
                "title": "Industrial Heat signs deal to transfer LENR technology to China",
                "standfirst": "The company that owns the rights to Andrea Rossi's E-Cat has reportedly agreed "
                "to take part in a Chinese technology park, where China's government is said to plan a "
                "$121 million LENR investment.",
                "body": ARTICLE_FILE.read_text(encoding="utf-8").strip(),
                "status": Article.Status.PUBLISHED,
                "publish_at": ARTICLE_PUBLISHED_AT,
            },
            many={
                "topics": topics.values(),
                "organizations": orgs.values(),
                "people": people.values(),
                "technologies": [e_cat],
                "sources": [sources["hydrofusion"], sources["e-cat-world"], sources["statement"]],
            },
        )
        deals = self.load_claims(orgs, people, e_cat, sources, article)
        self.load_events(orgs, people, sources, article, deals)

    def load_organizations(self):
        rows = [
            (
                "industrial-heat",
                {
                    "name": "Industrial Heat",
                    "aliases": "Industrial Heat LLC\nIH",
                    "kind": Organization.Kind.COMPANY,
                    "country": "US",
                    "city": "Research Triangle, North Carolina",
                    "summary": "Owns the rights to Andrea Rossi's E-Cat LENR technology.",
                    "description": "Industrial Heat LLC owns the rights to Andrea Rossi's E-Cat and is based in "
                    "the Research Triangle area of North Carolina. A purported statement from the company "
                    "(March 2016) says it has licensed, acquired or invested in several LENR technologies; "
                    "of those, only the E-Cat has been identified. When it was founded is not known.",
                },
            ),
            (
                "cherokee-partners",
                {
                    "name": "Cherokee Partners",
                    "kind": Organization.Kind.INVESTOR,
                    "summary": "Tom Darden's firm: he is its CEO.",
                    "description": "The article names it only as the firm Tom Darden is CEO of. What it "
                    "invests in and where it is based are not known from it.",
                },
            ),
            (
                "hydrofusion",
                {
                    "name": "HydroFusion",
                    "kind": Organization.Kind.COMPANY,
                    "summary": "Reported the Baishishan park agreement and China's $121 million LENR plan.",
                    "description": "The article names HydroFusion only as the source of these reports. What "
                    "kind of organization it is and where it is based are not known from it.",
                },
            ),
            (
                "e-cat-world",
                {
                    "name": "E-Cat World",
                    "kind": Organization.Kind.MEDIA,
                    "summary": "Relayed HydroFusion's report and the purported Industrial Heat statement.",
                },
            ),
            (
                "vortex-l",
                {
                    "name": "Vortex-L",
                    "kind": Organization.Kind.MEDIA,
                    "summary": "Where E-Cat World got the purported Industrial Heat statement.",
                    "description": "The article calls it 'something called Vortex-L'; more is not known from it.",
                },
            ),
            (
                "infinite-energy",
                {
                    "name": "Infinite Energy",
                    "aliases": "Infinite Energy magazine",
                    "kind": Organization.Kind.MEDIA,
                    "summary": "A magazine; the purported Industrial Heat statement was attributed to its "
                    "Marianne Macy.",
                },
            ),
            (
                "baishishan-international-innovation-park",
                {
                    "name": "Baishishan International Innovation Park of China-US Science and Technology",
                    "aliases": "Baishishan International Innovation Park\nBaishishan park",
                    "kind": Organization.Kind.TECHNOLOGY_PARK,
                    "country": "CN",
                    "summary": "A technology park in China, apparently similar to the Research Triangle "
                    "in North Carolina.",
                    "description": "Where in China it is, and who runs it, is not known from the article.",
                },
            ),
            (
                "government-of-the-peoples-republic-of-china",
                {
                    "name": "Government of the People's Republic of China",
                    "aliases": "People's Republic of China\nChinese government\nPRC",
                    "kind": Organization.Kind.GOVERNMENT,
                    "country": "CN",
                    "summary": "Reportedly plans to invest $121 million in LENR technology at the Baishishan park.",
                },
            ),
            (
                "brillouin-energy",
                {
                    "name": "Brillouin Energy",
                    "aliases": "Brillouin",
                    "kind": Organization.Kind.COMPANY,
                    "country": "US",
                    "summary": "An LENR firm in the United States.",
                    "description": "The article wonders whether Industrial Heat funds its work; no deal "
                    "between them is known.",
                },
            ),
            (
                "jet-energy",
                {
                    "name": "JET Energy",
                    "aliases": "Jet Energy",
                    "kind": Organization.Kind.COMPANY,
                    "country": "US",
                    "summary": "An LENR firm in the United States.",
                    "description": "The article wonders whether Industrial Heat funds its work; no deal "
                    "between them is known.",
                },
            ),
        ]
        return {slug: self.upsert(Organization, {"slug": slug}, values) for slug, values in rows}

    def load_people(self):
        speculation = " The article wonders whether Industrial Heat funds this work; no deal is known."
        rows = [
            (
                "andrea-rossi",
                {"name": "Andrea Rossi", "aliases": "Rossi", "bio": "Inventor of the E-Cat LENR technology."},
            ),
            (
                "tom-darden",
                {
                    "name": "Tom Darden",
                    "aliases": "Darden",
                    "bio": "CEO of Cherokee Partners and the backer of Industrial Heat; the article calls "
                    "him a billionaire.",
                },
            ),
            (
                "marianne-macy",
                {
                    "name": "Marianne Macy",
                    "bio": "Of Infinite Energy magazine, to whom E-Cat World attributed the purported "
                    "Industrial Heat statement.",
                },
            ),
            (
                "parkhomov",
                {
                    "name": "Parkhomov",
                    "country": "RU",
                    "bio": "Works on LENR in Russia. The article gives only the surname." + speculation,
                },
            ),
            (
                "piantelli",
                {
                    "name": "Piantelli",
                    "country": "IT",
                    "bio": "Works on LENR in Italy. The article gives only the surname." + speculation,
                },
            ),
            (
                "celani",
                {
                    "name": "Celani",
                    "country": "IT",
                    "bio": "Works on LENR in Italy. The article gives only the surname." + speculation,
                },
            ),
        ]
        return {slug: self.upsert(Person, {"slug": slug}, values) for slug, values in rows}

    def load_sources(self, orgs):
        hydrofusion = self.upsert(
            Source,
            {"title": "HydroFusion report on the Baishishan park agreement and China's $121 million LENR plan"},
            {
                "publisher": "HydroFusion",
                "publisher_organization": orgs["hydrofusion"],
                "reliability": "A single report, known to us through E-Cat World and the article; no other "
                "outlet has confirmed it. Its date is not known. It dates the signing 'according to this "
                "document' without naming the document.",
            },
        )
        e_cat_world = self.upsert(
            Source,
            {"title": "E-Cat World relays HydroFusion's report of a $121 million Chinese LENR investment"},
            {
                "publisher": "E-Cat World",
                "publisher_organization": orgs["e-cat-world"],
                "published_on": datetime.date(2016, 3, 11),
                "published_precision": DatePrecision.DAY,
                "via": hydrofusion,
                "reliability": "Repeats HydroFusion's report; adds no confirmation of its own.",
            },
        )
        attributed_to = "Marianne Macy, Infinite Energy magazine"
        unverified = (
            "Unverified: Industrial Heat has not confirmed that the statement is theirs. It reached us "
            "second-hand, attributed to Marianne Macy of Infinite Energy magazine."
        )
        vortex = self.upsert(
            Source,
            {"title": "Purported statement from Industrial Heat (Vortex-L post)"},
            {
                "publisher": "Vortex-L",
                "publisher_organization": orgs["vortex-l"],
                "quote": STATEMENT,
                "attributed_to": attributed_to,
                "speaker_organization": orgs["industrial-heat"],
                "reliability": unverified + " Who posted it on Vortex-L, and when, is not known.",
            },
        )
        statement = self.upsert(
            Source,
            {"title": "Purported statement from Industrial Heat"},
            {
                "publisher": "E-Cat World",
                "publisher_organization": orgs["e-cat-world"],
                "published_on": datetime.date(2016, 3, 10),
                "published_precision": DatePrecision.DAY,
                "quote": STATEMENT,
                "attributed_to": attributed_to,
                "speaker_organization": orgs["industrial-heat"],
                "via": vortex,
                "reliability": unverified + " E-Cat World got it from Vortex-L. The statement is dated "
                "10 March 2016. The article finds it plausible because it is in line with what Tom Darden "
                "said the year before.",
            },
        )
        return {"hydrofusion": hydrofusion, "e-cat-world": e_cat_world, "vortex-l": vortex, "statement": statement}

    def load_claims(self, orgs, people, e_cat, sources, article):
        darden = people["tom-darden"]
        reported = {"reported_in": [article]}
        self.upsert(
            Affiliation,
            {"person": darden, "organization": orgs["cherokee-partners"], "role": Affiliation.Role.CEO},
            {"title": "CEO", "confidence": Confidence.REPORTED, "notes": "Since when is not known."},
            many={"sources": [sources["hydrofusion"]], **reported},
        )
        self.upsert(
            Affiliation,
            {"person": darden, "organization": orgs["industrial-heat"], "role": Affiliation.Role.BACKER},
            {
                "confidence": Confidence.REPORTED,
                "notes": "The article calls him Industrial Heat's backer and a billionaire. The size and form "
                "of his backing, and since when, are not known.",
            },
            many={"sources": [sources["hydrofusion"]], **reported},
        )
        self.upsert(
            Affiliation,
            {
                "person": people["marianne-macy"],
                "organization": orgs["infinite-energy"],
                "role": Affiliation.Role.OTHER,
            },
            {
                "confidence": Confidence.REPORTED,
                "notes": "E-Cat World names her as 'of Infinite Energy magazine'; her role there is not known.",
            },
            many={"sources": [sources["statement"]], **reported},
        )
        self.upsert(
            TechnologyStake,
            {"organization": orgs["industrial-heat"], "technology": e_cat, "kind": TechnologyStake.Kind.OWNER},
            {
                "confidence": Confidence.REPORTED,
                "notes": "The article says Industrial Heat 'owns the rights to' the E-Cat. The terms, the "
                "territories and since when are not known.",
            },
            many=reported,
        )
        park = orgs["baishishan-international-innovation-park"]
        agreement = self.upsert(
            Investment,
            {"slug": "industrial-heat-baishishan-park-agreement"},
            {
                "title": "Industrial Heat agrees to participate in the Baishishan International Innovation Park",
                "kind": Investment.Kind.TECHNOLOGY_TRANSFER,
                "amount": None,
                "currency": "USD",
                "announced_on": datetime.date(2015, 10, 20),
                "date_precision": DatePrecision.DAY,
                "confidence": Confidence.REPORTED,
                "summary": "HydroFusion reported that Tom Darden, Industrial Heat's backer and CEO of Cherokee "
                "Partners, signed an agreement to participate in the Baishishan International Innovation "
                "Park of China-US Science and Technology, apparently on 20 October 2015. The article calls "
                "it a deal to transfer technology to China. Which technologies are involved, and whether "
                "Rossi's E-Cat is among them, is not known; no amount was reported.",
                "notes": "Whether Darden signed for Industrial Heat, for Cherokee Partners or for himself is "
                "not known; the article treats it as Industrial Heat's deal. The document the date comes "
                "from is not identified.",
            },
            many={
                "investors": [orgs["industrial-heat"]],
                "recipients": [park],
                "investor_people": [darden],
                "technologies": [],
                "sources": [sources["hydrofusion"]],
                **reported,
            },
        )
        plan = self.upsert(
            Investment,
            {"slug": "china-plans-121-million-lenr-investment-at-baishishan-park"},
            {
                "title": "China's government plans a $121 million LENR investment at the Baishishan park",
                "kind": Investment.Kind.GOVERNMENT_FUNDING,
                "amount": Decimal("121000000.00"),
                "currency": "USD",
                "announced_on": datetime.date(2016, 3, 11),
                "date_precision": DatePrecision.DAY,
                "confidence": Confidence.RUMORED,
                "summary": "The government of the People's Republic of China is apparently planning to invest "
                "$121 million in LENR technology at the Baishishan park. The reports did not say what "
                "technology would be involved or whether Rossi's technology would be among it.",
                "notes": "A single unconfirmed report: HydroFusion, relayed by E-Cat World. The date is when "
                "E-Cat World relayed it; when the plan was made, and who at the park would receive the "
                "money, are not known.",
            },
            many={
                "investors": [orgs["government-of-the-peoples-republic-of-china"]],
                "recipients": [park],
                "investor_people": [],
                "technologies": [],
                "sources": [sources["e-cat-world"]],
                **reported,
            },
        )
        return {"agreement": agreement, "plan": plan}

    def load_events(self, orgs, people, sources, article, deals):
        """The seed's events: the signing of the park agreement (a status move of that deal) and the
        purported Industrial Heat statement of March 2016."""
        heat, park = orgs["industrial-heat"], orgs["baishishan-international-innovation-park"]
        signing = self.upsert(
            Event,
            {"slug": "tom-darden-signs-the-baishishan-park-agreement"},
            {
                "title": "Tom Darden signs the Baishishan park agreement",
                "kind": Event.Kind.DEAL_STATUS,
                "new_status": Investment.Status.SIGNED,
                "occurred_on": datetime.date(2015, 10, 20),
                "date_precision": DatePrecision.DAY,
                "confidence": Confidence.REPORTED,
                "summary": "HydroFusion reported that Tom Darden signed the agreement for Industrial Heat to "
                "take part in the park, apparently on 20 October 2015, 'according to this document'.",
                "notes": "Relayed, not seen: the article dates it from a document it does not identify. Find "
                "the document (the signing was said to be relayed by Xinhua) before raising the confidence.",
            },
            many={"investments": [deals["agreement"]], "sources": [sources["hydrofusion"]], "reported_in": [article]},
        )
        self.upsert(EventPerson, {"event": signing, "person": people["tom-darden"]}, {"role": "signatory"})
        self.upsert(EventOrganization, {"event": signing, "organization": heat}, {"role": "party"})
        self.upsert(EventOrganization, {"event": signing, "organization": park}, {"role": "party"})
        statement = self.upsert(
            Event,
            {"slug": "purported-statement-from-industrial-heat"},
            {
                "title": "A purported statement from Industrial Heat on its LENR portfolio",
                "kind": Event.Kind.STATEMENT,
                "new_status": "",
                "occurred_on": datetime.date(2016, 3, 10),
                "date_precision": DatePrecision.DAY,
                "confidence": Confidence.RUMORED,
                "summary": "A statement said to be from Industrial Heat circulated on the internet: it says "
                "the company has licensed, acquired or invested in several LENR technologies and is "
                "assessing and prioritizing its portfolio. It reached E-Cat World from Vortex-L, attributed "
                "to Marianne Macy of Infinite Energy magazine. Industrial Heat has not confirmed it.",
            },
            many={"sources": [sources["statement"]], "reported_in": [article]},
        )
        self.upsert(EventOrganization, {"event": statement, "organization": heat}, {"role": "purported speaker"})
        self.upsert(EventPerson, {"event": statement, "person": people["marianne-macy"]}, {"role": "relayed by"})
        deals["agreement"].refresh_status()
