"""How sure a claim is, in words: ``{% claim_hedge claim %}``.

Works for any claim with ``confidence`` and ``sources`` (deal, stake, affiliation,
event). Prefetch the claims' sources (and a deal's or event's parties) in listings.
"""

from django import template

from lenrnews.models import Confidence

register = template.Library()

MAX_NAMES = 3


def _who(source):
    return source.attributed_to or source.publisher or source.title


def _claim_sources(claim):
    """The sources a claim rests on."""
    sources = getattr(claim, "sources", None)
    return list(sources.all()) if sources is not None else []


def is_self_claim(source, claim) -> bool:
    """Whether ``source`` is a self-claim for ``claim``: one of the claim's parties speaks in it."""
    party_ids = getattr(claim, "party_ids", None)
    if party_ids is None:
        return False
    return source.is_self_claim_for(*party_ids())


@register.filter
def self_claim_for(source, claim):
    """``{% if source|self_claim_for:deal %}``."""
    return is_self_claim(source, claim)


def claim_hedge_parts(claim):
    """The hedge of a claim: {"level", "text", "self_claim"}; text is empty when confirmed."""
    level = claim.confidence
    sources = _claim_sources(claim)
    text = ""
    if level == Confidence.REPORTED:
        names = list(dict.fromkeys(_who(source) for source in sources if _who(source)))
        if names:
            shown = ", ".join(names[:MAX_NAMES])
            more = len(names) - MAX_NAMES
            text = f"reported by {shown}" + (f" and {more} more" if more > 0 else "")
        else:
            text = "reported"
    elif level == Confidence.RUMORED:
        text = "unconfirmed"
    elif level == Confidence.DISPUTED:
        text = "disputed"
    elif level == Confidence.DENIED:
        text = "denied"
    # A claim resting only on the subject's own word is not independent confirmation.
    self_claim = bool(sources) and all(is_self_claim(source, claim) for source in sources)
    return {"level": level, "text": text, "self_claim": self_claim}


def claim_hedge_text(claim):
    """The hedge as plain text (feeds, API): 'reported by HydroFusion (self-claim)'."""
    parts = claim_hedge_parts(claim)
    return " ".join(filter(None, [parts["text"], "(self-claim)" if parts["self_claim"] else ""]))


@register.inclusion_tag("includes/claim_hedge.html")
def claim_hedge(claim):
    return claim_hedge_parts(claim)
