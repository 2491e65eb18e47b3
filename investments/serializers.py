"""API representation of deals."""

from rest_framework import serializers
from rest_framework.validators import UniqueValidator

from articles.models import Article, Source
from lenrnews.duplicates import RefuseDuplicatesMixin
from lenrnews.serializers import (
    APIModelSerializer,
    CompactRelatedField,
    ModelRulesMixin,
    PrivateNotesMixin,
    PublicURLField,
    SlugFromNameMixin,
    SourceRelatedField,
    visible_articles_field,
)
from organizations.models import Organization, Person, Technology

from .models import (
    Event,
    EventOrganization,
    EventPerson,
    Investment,
    InvestorOrganization,
    InvestorPerson,
    RecipientOrganization,
    RecipientPerson,
)
from .services import event_set_parties, investment_set_parties

# The four lists of a deal's parties: list name -> (through model, side, kind of party).
PARTY_LISTS = {
    "investors": (InvestorOrganization, "investor", "organization"),
    "investor_people": (InvestorPerson, "investor", "person"),
    "recipients": (RecipientOrganization, "recipient", "organization"),
    "recipient_people": (RecipientPerson, "recipient", "person"),
}


class PartySerializer(serializers.Serializer):
    """One party of a deal: an organization or a person, on one side, with its own part when known."""

    side = serializers.ChoiceField(choices=["investor", "recipient"])
    organization = CompactRelatedField(queryset=Organization.objects.all(), required=False, allow_null=True)
    person = CompactRelatedField(queryset=Person.objects.all(), required=False, allow_null=True)
    is_lead = serializers.BooleanField(required=False, default=False)
    amount = serializers.DecimalField(max_digits=16, decimal_places=2, min_value=0, required=False, allow_null=True)
    amount_usd = serializers.DecimalField(max_digits=16, decimal_places=2, min_value=0, required=False, allow_null=True)

    def validate(self, attrs):
        if bool(attrs.get("organization")) == bool(attrs.get("person")):
            raise serializers.ValidationError("Name either an organization or a person.")
        return attrs


def _party_lists(parties):
    """Rows of ``parties`` by list name: (row, party)."""
    lists: dict[str, list] = {name: [] for name in PARTY_LISTS}
    for row in parties:
        kind = "organization" if row.get("organization") else "person"
        name = next(n for n, (_, side, k) in PARTY_LISTS.items() if side == row["side"] and k == kind)
        lists[name].append((row, row[kind]))
    return lists


class LifecycleSerializer(serializers.ModelSerializer):
    """A status move: the state, when, and how sure."""

    url = PublicURLField()
    date_display = serializers.CharField(read_only=True)

    class Meta:
        model = Event
        fields = ["slug", "title", "url", "new_status", "occurred_on", "date_precision", "date_display", "confidence"]
        read_only_fields = fields


class InvestmentSerializer(
    RefuseDuplicatesMixin, PrivateNotesMixin, SlugFromNameMixin, ModelRulesMixin, APIModelSerializer
):
    """A deal. Money is a decimal string in ``currency`` plus ``amount_usd`` (equal to it for USD deals)."""

    slug_from = "title"

    url = PublicURLField()
    investors = CompactRelatedField(
        many=True, required=False, queryset=Organization.objects.all(), help_text="Investing organizations; slugs."
    )
    investor_people = CompactRelatedField(
        many=True, required=False, queryset=Person.objects.all(), help_text="Investing people; slugs."
    )
    recipients = CompactRelatedField(
        many=True,
        required=False,
        queryset=Organization.objects.all(),
        help_text="Receiving organizations (none for a framework deal); slugs.",
    )
    recipient_people = CompactRelatedField(
        many=True, required=False, queryset=Person.objects.all(), help_text="Receiving people; slugs."
    )
    parties = PartySerializer(
        source="party_rows",
        many=True,
        required=False,
        help_text="Every party with its side, whether it led and its own amount. Written, it replaces the four "
        "lists of parties.",
    )
    status = serializers.CharField(read_only=True, help_text="Set by the latest status move at least reported.")
    status_display = serializers.CharField(read_only=True, help_text="'Terminated, disputed, 2 Jun 2016'.")
    lifecycle = LifecycleSerializer(many=True, read_only=True, help_text="Its status moves, earliest first.")
    technologies = CompactRelatedField(many=True, required=False, queryset=Technology.objects.all(), help_text="Slugs.")
    amount = serializers.DecimalField(
        max_digits=16,
        decimal_places=2,
        min_value=0,
        required=False,
        allow_null=True,
        help_text="In the deal's currency; null when not disclosed.",
    )
    amount_usd = serializers.DecimalField(
        max_digits=16,
        decimal_places=2,
        min_value=0,
        required=False,
        allow_null=True,
        help_text="In US dollars: set automatically for USD deals, required with an amount in another currency.",
    )
    date_display = serializers.CharField(read_only=True, help_text="'20 Oct 2015', 'Oct 2015' or '2015'.")
    sources = SourceRelatedField(
        many=True, required=False, queryset=Source.objects.all(), help_text="Written as a list of source ids."
    )
    reported_in = visible_articles_field(Article.objects.all(), help_text="Our articles; written as a list of slugs.")

    class Meta:
        model = Investment
        fields = [
            "slug",
            "title",
            "url",
            "kind",
            "investors",
            "investor_people",
            "recipients",
            "recipient_people",
            "parties",
            "technologies",
            "amount",
            "currency",
            "amount_usd",
            "announced_on",
            "date_precision",
            "date_display",
            "status",
            "status_display",
            "lifecycle",
            "confidence",
            "summary",
            "sources",
            "reported_in",
            "notes",
            "created_at",
            "updated_at",
        ]
        # Unique among every deal, those in the trash too (they keep their slugs).
        extra_kwargs = {
            "slug": {"required": False, "validators": [UniqueValidator(queryset=Investment.all_objects.all())]}
        }

    @staticmethod
    def _lists_from_parties(attrs):
        """The four lists of parties the rows name; a 400 when lists sent beside them name others."""
        from_parties = {name: [row[1] for row in rows] for name, rows in _party_lists(attrs["party_rows"]).items()}
        # A deal read and sent back carries both: the lists must then name the parties the rows name.
        disagree = [
            name
            for name in PARTY_LISTS
            if name in attrs and sorted(p.pk for p in attrs[name]) != sorted(p.pk for p in from_parties[name])
        ]
        if disagree:
            raise serializers.ValidationError(
                {
                    name: [
                        "It names other parties than parties does: give either parties or the lists of "
                        "investors and recipients, or both alike."
                    ]
                    for name in disagree
                }
            )
        return from_parties

    def validate(self, attrs):
        attrs = super().validate(attrs)
        if "party_rows" in attrs:
            attrs.update(self._lists_from_parties(attrs))
        instance = self.instance

        def current(name):
            if name in attrs:
                return list(attrs[name])
            return list(getattr(instance, name).all()) if instance else []

        errors = Investment.party_errors(**{name: current(name) for name in PARTY_LISTS})
        if errors:
            raise serializers.ValidationError({field: [message] for field, message in errors.items()})
        currency = attrs.get("currency", self.instance.currency if self.instance else "USD")
        if currency == "USD":
            # The model derives it; say so rather than silently dropping a different value.
            amount = attrs.get("amount", self.instance.amount if self.instance else None)
            if "amount_usd" in attrs and attrs["amount_usd"] != amount:
                raise serializers.ValidationError(
                    {"amount_usd": ["For a deal in USD the amount in USD is the amount."]}
                )
        return attrs

    def duplicate_data(self, attrs):
        # A request that contradicts itself is a 400 before any look for duplicates.
        if "party_rows" not in attrs:
            return attrs
        return {**attrs, **self._lists_from_parties(attrs)}

    @staticmethod
    def _pop_parties(validated_data):
        """The parties to write, taken out of ``validated_data`` so the four lists are never ``set()``
        (a related manager's ``set`` adds rows that leave no history): ``parties`` whole, or the lists sent."""
        lists = {name: validated_data.pop(name) for name in PARTY_LISTS if name in validated_data}
        return validated_data.pop("party_rows", None), lists

    def _save_parties(self, deal, parties, lists):
        if parties is not None:  # every row as given, in the four lists
            wanted = {
                PARTY_LISTS[name][0]: [
                    (
                        party,
                        {
                            "is_lead": row.get("is_lead", False),
                            "amount": row.get("amount"),
                            "amount_usd": row.get("amount") if deal.currency == "USD" else row.get("amount_usd"),
                        },
                    )
                    for row, party in rows
                ]
                for name, rows in _party_lists(parties).items()
            }
        else:  # the lists sent: the parties kept keep their rows as they are
            wanted = {
                PARTY_LISTS[name][0]: [(party, None) for party in dict.fromkeys(listed)]
                for name, listed in lists.items()
            }
        investment_set_parties(investment=deal, rows=wanted)

    def create(self, validated_data):
        parties, lists = self._pop_parties(validated_data)
        deal = super().create(validated_data)
        self._save_parties(deal, parties, lists)
        return deal

    def update(self, instance, validated_data):
        parties, lists = self._pop_parties(validated_data)
        deal = super().update(instance, validated_data)
        self._save_parties(deal, parties, lists)
        return deal


class EventPartySerializer(serializers.Serializer):
    """One party of an event: an organization or a person, with its part in it."""

    organization = CompactRelatedField(queryset=Organization.objects.all(), required=False, allow_null=True)
    person = CompactRelatedField(queryset=Person.objects.all(), required=False, allow_null=True)
    role = serializers.CharField(max_length=60, required=False, allow_blank=True, default="")

    def validate(self, attrs):
        if bool(attrs.get("organization")) == bool(attrs.get("person")):
            raise serializers.ValidationError("Name either an organization or a person.")
        return attrs


class EventSerializer(RefuseDuplicatesMixin, PrivateNotesMixin, SlugFromNameMixin, ModelRulesMixin, APIModelSerializer):
    """An event: what happened that is not a deal (a lawsuit, a termination, a demonstration), or a deal's
    status move (kind ``deal_status`` with ``new_status``, which sets the deal's status when at least reported)."""

    slug_from = "title"

    url = PublicURLField()
    kind_display = serializers.CharField(read_only=True)
    date_display = serializers.CharField(read_only=True, help_text="'20 Oct 2015', 'Oct 2015' or '2015'.")
    parties = EventPartySerializer(
        source="party_rows", many=True, required=False, help_text="Organizations and people, each with a role."
    )
    investments = CompactRelatedField(
        many=True, required=False, queryset=Investment.all_objects.all(), help_text="The deals it concerns; slugs."
    )
    technologies = CompactRelatedField(many=True, required=False, queryset=Technology.objects.all(), help_text="Slugs.")
    summary_html = serializers.CharField(read_only=True, help_text="The summary rendered and sanitized.")
    sources = SourceRelatedField(
        many=True, required=False, queryset=Source.objects.all(), help_text="Written as a list of source ids."
    )
    reported_in = visible_articles_field(Article.objects.all(), help_text="Our articles; written as a list of slugs.")

    class Meta:
        model = Event
        fields = [
            "slug",
            "title",
            "url",
            "kind",
            "kind_display",
            "new_status",
            "occurred_on",
            "date_precision",
            "date_display",
            "confidence",
            "summary",
            "summary_html",
            "parties",
            "investments",
            "technologies",
            "sources",
            "reported_in",
            "notes",
            "created_at",
            "updated_at",
        ]
        extra_kwargs = {"slug": {"required": False}}

    def validate(self, attrs):
        attrs = super().validate(attrs)
        rows = attrs.get("party_rows") or []
        seen = set()
        for row in rows:
            key = ("o", row["organization"].pk) if row.get("organization") else ("p", row["person"].pk)
            if key in seen:
                raise serializers.ValidationError({"parties": ["Each party may appear once."]})
            seen.add(key)
        return attrs

    def duplicate_data(self, attrs):
        rows = attrs.get("party_rows") or []
        return {
            **attrs,
            "organizations": [row["organization"] for row in rows if row.get("organization")],
            "people": [row["person"] for row in rows if row.get("person")],
        }

    def _save_parties(self, event, rows):
        event_set_parties(
            event=event,
            rows={
                EventOrganization: [
                    (row["organization"], {"role": row.get("role", "")}) for row in rows if row.get("organization")
                ],
                EventPerson: [(row["person"], {"role": row.get("role", "")}) for row in rows if row.get("person")],
            },
        )

    def create(self, validated_data):
        rows = validated_data.pop("party_rows", None)
        event = super().create(validated_data)
        if rows is not None:
            self._save_parties(event, rows)
        return event

    def update(self, instance, validated_data):
        rows = validated_data.pop("party_rows", None)
        event = super().update(instance, validated_data)
        if rows is not None:
            self._save_parties(event, rows)
        return event


def _money():
    return serializers.DecimalField(max_digits=18, decimal_places=2, allow_null=True)


class LevelFiguresSerializer(serializers.Serializer):
    count = serializers.IntegerField(help_text="Deals at this level in the group.")
    disclosed = serializers.IntegerField(help_text="Of them, deals with a known amount in USD.")
    usd = _money()


class SummaryGroupSerializer(serializers.Serializer):
    key = serializers.JSONField(
        help_text="The year (a number), the kind, the ISO country code or the confidence level; null for no date "
        "or no country."
    )
    count = serializers.IntegerField(help_text="Deals in the group, at every level.")
    total_usd = _money()
    approximate = serializers.BooleanField(help_text="Some counted amounts were converted from other currencies.")
    apart = serializers.DictField(
        child=serializers.DecimalField(max_digits=18, decimal_places=2),
        help_text="The USD of each level not counted (rumored, disputed, denied), never added to total_usd.",
    )
    by_confidence = serializers.DictField(child=LevelFiguresSerializer(), help_text="Every level's figures.")


class DealTotalsSerializer(serializers.Serializer):
    counted_usd = _money()
    counted_levels = serializers.ListField(child=serializers.CharField())
    approximate = serializers.BooleanField()
    apart = serializers.DictField(child=serializers.DecimalField(max_digits=18, decimal_places=2))


class DealSummarySerializer(serializers.Serializer):
    """What the money charts draw: the deals the filters select, grouped, each level of confidence apart."""

    group_by = serializers.ChoiceField(choices=["year", "kind", "country", "confidence"])
    counted_levels = serializers.ListField(
        child=serializers.CharField(), help_text="The levels total_usd counts: confirmed and reported."
    )
    groups = SummaryGroupSerializer(many=True)
    totals = DealTotalsSerializer(help_text="The same figures as the list's totals, for all the selected deals.")
