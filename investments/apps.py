from django.apps import AppConfig


class InvestmentsConfig(AppConfig):
    name = "investments"

    def ready(self):
        from lenrnews.duplicates import SameParties, guard_duplicates
        from lenrnews.slugs import track_slugs

        from .models import Event, Investment

        # A deal or an event is a duplicate of one of the same kind, parties and (overlapping) date.
        guard_duplicates(
            Investment,
            SameParties(
                kind_fields=["kind"],
                date_field="announced_on",
                precision_field="date_precision",
                party_fields={
                    "investors": "investor",
                    "investor_people": "investor",
                    "recipients": "recipient",
                    "recipient_people": "recipient",
                },
            ),
        )
        guard_duplicates(
            Event,
            SameParties(
                kind_fields=["kind", "new_status"],
                date_field="occurred_on",
                precision_field="date_precision",
                party_fields={"organizations": "party", "people": "party", "investments": "deal"},
            ),
        )
        track_slugs(Investment, view_names=["investments:investment_detail", "api:investment-detail"])
        track_slugs(Event, view_names=["investments:event_detail", "api:event-detail"])
