"""A labelled set for mention detection: the entities of the field, and articles with the
mentions a careful reader finds in them.

Written for ``benchmarks/mentions.py``, in the way the field's press writes: shared names
(Leonardo Corporation, Rossi's company, and Leonardo S.p.A., the aerospace group; Woodford
the fund manager and Neil Woodford), acronyms ("IH", "JET", "SRI"), spellings of the same
name ("E-Cat", "ecat", "E Cats"; "1 MW plant", "1MW plant") and near misses (a jet of
steam, industrial heat as a market, the 10 MW plant nobody built).

Each case lists ``mentions``, the slugs of the entities the article refers to (by any of
their names), and ``ambiguous``, the shared names the text alone does not settle (a reader
would ask the writer too). A shared name the text settles is not in ``ambiguous``: its
entity is in ``mentions``. The labels say what is right, not what detection does.
"""

# slug: (kind, name, aliases)
ENTITIES = {
    # Organizations
    "industrial-heat": ("organization", "Industrial Heat", ["Industrial Heat LLC", "IH"]),
    "leonardo-corporation": ("organization", "Leonardo Corporation", ["Leonardo", "Leonardo Corp", "Leonardo Corp."]),
    "leonardo-spa": ("organization", "Leonardo S.p.A.", ["Leonardo", "Leonardo SpA", "Finmeccanica"]),
    "cherokee": ("organization", "Cherokee Investment Partners", ["Cherokee", "Cherokee Partners"]),
    "woodford-im": ("organization", "Woodford Investment Management", ["Woodford", "WIM", "Woodford Investment"]),
    "woodford-pct": ("organization", "Woodford Patient Capital Trust", ["Patient Capital Trust", "WPCT"]),
    "brillouin": ("organization", "Brillouin Energy", ["Brillouin", "Brillouin Energy Corp."]),
    "blp": ("organization", "Brilliant Light Power", ["BLP", "BlackLight Power", "BlackLight"]),
    "jet-energy": ("organization", "JET Energy", ["JET Energy Inc."]),
    "jet": ("organization", "Joint European Torus", ["JET"]),
    "baishishan": ("organization", "Baishishan International Innovation Park", ["Baishishan park"]),
    "ampenergo": ("organization", "Ampenergo", []),
    "hydro-fusion": ("organization", "Hydro Fusion", []),
    "enea": ("organization", "ENEA", ["Italian National Agency for New Technologies"]),
    "sri": ("organization", "SRI International", ["SRI"]),
    "mfmp": ("organization", "Martin Fleischmann Memorial Project", ["MFMP"]),
    "defkalion": ("organization", "Defkalion Green Technologies", ["Defkalion", "DGT"]),
    "hyperion-power": ("organization", "Hyperion Power Generation", ["Hyperion"]),
    "google": ("organization", "Google", []),
    "arpa-e": ("organization", "ARPA-E", ["Advanced Research Projects Agency-Energy"]),
    "clean-planet": ("organization", "Clean Planet", ["Clean Planet Inc."]),
    "tohoku": ("organization", "Tohoku University", []),
    "e-cat-world": ("organization", "E-Cat World", ["ECW"]),
    "infinite-energy": ("organization", "Infinite Energy", ["Infinite Energy magazine"]),
    "bologna": ("organization", "University of Bologna", ["Bologna University"]),
    "uppsala": ("organization", "Uppsala University", []),
    "utah": ("organization", "University of Utah", []),
    # People
    "andrea-rossi": ("person", "Andrea Rossi", ["Rossi"]),
    "tom-darden": ("person", "Tom Darden", ["Darden", "Thomas Darden"]),
    "jt-vaughn": ("person", "J.T. Vaughn", ["Vaughn", "JT Vaughn", "John T. Vaughn"]),
    "neil-woodford": ("person", "Neil Woodford", ["Woodford"]),
    "martin-fleischmann": ("person", "Martin Fleischmann", ["Fleischmann"]),
    "stanley-pons": ("person", "Stanley Pons", ["Pons"]),
    "robert-godes": ("person", "Robert Godes", ["Godes"]),
    "randell-mills": ("person", "Randell Mills", ["Mills", "Randy Mills"]),
    "francesco-piantelli": ("person", "Francesco Piantelli", ["Piantelli"]),
    "alexander-parkhomov": ("person", "Alexander Parkhomov", ["Parkhomov"]),
    "mats-lewan": ("person", "Mats Lewan", ["Lewan"]),
    "frank-acland": ("person", "Frank Acland", ["Acland"]),
    "michael-mckubre": ("person", "Michael McKubre", ["McKubre"]),
    "giuseppe-levi": ("person", "Giuseppe Levi", ["Levi"]),
    "fabio-penon": ("person", "Fabio Penon", ["Penon"]),
    "sergio-focardi": ("person", "Sergio Focardi", ["Focardi"]),
    "hanno-essen": ("person", "Hanno Essén", ["Essén"]),
    # Technologies
    "e-cat": ("technology", "E-Cat", ["Energy Catalyzer"]),
    "e-cat-qx": ("technology", "E-Cat QX", ["QX"]),
    "e-cat-sk": ("technology", "E-Cat SK", []),
    "hot-cat": ("technology", "Hot Cat", ["HotCat"]),
    "1mw-plant": ("technology", "1MW plant", ["E-Cat plant", "one-megawatt plant"]),
    "suncell": ("technology", "SunCell", []),
    "hot-tube": ("technology", "Hydrogen Hot Tube", ["HHT", "Hot Tube"]),
    "hyperion": ("technology", "Hyperion reactor", ["Hyperion"]),
    "glowstick": ("technology", "GlowStick", []),
}

# What the database knows about how they relate (person, organization, role).
AFFILIATIONS = [
    ("andrea-rossi", "leonardo-corporation", "founder"),
    ("tom-darden", "cherokee", "founder"),
    ("tom-darden", "industrial-heat", "backer"),
    ("jt-vaughn", "industrial-heat", "executive"),
    ("neil-woodford", "woodford-im", "founder"),
    ("robert-godes", "brillouin", "ceo"),
    ("randell-mills", "blp", "founder"),
    ("martin-fleischmann", "utah", "researcher"),
    ("stanley-pons", "utah", "researcher"),
    ("frank-acland", "e-cat-world", "founder"),
    ("michael-mckubre", "sri", "researcher"),
    ("giuseppe-levi", "bologna", "researcher"),
    ("sergio-focardi", "bologna", "researcher"),
    ("hanno-essen", "uppsala", "researcher"),
]
# (organization, technology, kind)
STAKES = [
    ("leonardo-corporation", "e-cat", "developer"),
    ("leonardo-corporation", "e-cat-qx", "developer"),
    ("leonardo-corporation", "e-cat-sk", "developer"),
    ("leonardo-corporation", "hot-cat", "developer"),
    ("leonardo-corporation", "1mw-plant", "developer"),
    ("industrial-heat", "e-cat", "licensee"),
    ("industrial-heat", "1mw-plant", "owner"),
    ("ampenergo", "e-cat", "licensee"),
    ("hydro-fusion", "e-cat", "partner"),
    ("blp", "suncell", "developer"),
    ("brillouin", "hot-tube", "developer"),
    ("defkalion", "hyperion", "developer"),
    ("mfmp", "glowstick", "developer"),
]
# technology: inventors
INVENTORS = {
    "e-cat": ["andrea-rossi", "sergio-focardi"],
    "suncell": ["randell-mills"],
    "hot-tube": ["robert-godes"],
}
# organization: parent
PARENTS = {"woodford-pct": "woodford-im"}


def case(title, body, mentions, ambiguous=()):
    return {"title": title, "body": body.strip(), "mentions": set(mentions), "ambiguous": set(ambiguous)}


CASES = [
    case(
        "Industrial Heat signs with Baishishan park",
        """
Industrial Heat, the North Carolina company that holds the rights to Andrea Rossi's E-Cat,
has signed a memorandum with the Baishishan International Innovation Park in Tianjin.

IH is backed by Tom Darden's Cherokee Investment Partners. According to a statement that
reached us through a mailing list, the park would host a demonstration unit. Neither
Darden nor Rossi answered our questions.
""",
        ["industrial-heat", "andrea-rossi", "e-cat", "baishishan", "tom-darden", "cherokee"],
    ),
    case(
        "Rossi's company files suit in Miami",
        """
Leonardo Corporation, the Florida company founded by Andrea Rossi, filed a complaint in
federal court in Miami on Tuesday. Leonardo claims it is owed $89 million under its 2012
licence agreement.

The defendants are Industrial Heat, J.T. Vaughn and Tom Darden. Leonardo's lawyers say the
1MW plant ran for a year in Doral and met the agreed performance.
""",
        ["leonardo-corporation", "andrea-rossi", "industrial-heat", "jt-vaughn", "tom-darden", "1mw-plant"],
    ),
    case(
        "Leonardo reports higher orders for helicopters",
        """
Leonardo S.p.A., the Italian aerospace and defence group once called Finmeccanica, said
orders rose 12 per cent in the first half. Leonardo expects its helicopter division to
deliver 150 aircraft this year.

Finmeccanica changed its name in 2016. The group's shares rose 3 per cent in Milan.
""",
        ["leonardo-spa"],
    ),
    case(
        "Rossi says Leonardo will ship the first units",
        """
Andrea Rossi told a small audience in Stockholm that Leonardo will ship the first E-Cat QX
units to an industrial customer before the end of the year. Rossi showed a QX reactor about
the size of a cigarette lighter.

"We are ready," Rossi said. Leonardo has not named the customer.
""",
        ["andrea-rossi", "leonardo-corporation", "e-cat-qx"],
    ),
    case(
        "Defence stocks rally in Milan",
        """
Shares of European defence groups rallied after the NATO summit. Leonardo gained 4 per cent,
Thales 3 per cent and Rheinmetall 5 per cent.

Analysts expect higher spending on helicopters, radar and electronics.
""",
        ["leonardo-spa"],
    ),
    case(
        "Woodford fund invests in Industrial Heat",
        """
Neil Woodford's Woodford Patient Capital Trust has invested $50 million in Industrial Heat,
the LENR company that licensed the E-Cat. Woodford said he was attracted by the potential of
a clean source of heat.

The trust, managed by Woodford Investment Management, now holds about 4 per cent of IH.
""",
        ["neil-woodford", "woodford-pct", "woodford-im", "industrial-heat", "e-cat"],
    ),
    case(
        "Woodford Investment Management discloses IH stake",
        """
Woodford Investment Management disclosed a stake in Industrial Heat in its annual report.
Woodford declined to comment on the valuation of the holding, which it counts among its
unquoted investments.
""",
        ["woodford-im", "industrial-heat"],
    ),
    case(
        "An early believer",
        """
Woodford backed the company early, long before the press took notice. Few investors were as
patient.
""",
        [],
        ["Woodford"],
    ),
    case(
        "MFMP replicates Parkhomov's reactor",
        """
The Martin Fleischmann Memorial Project says its GlowStick replication of Alexander
Parkhomov's reactor produced a gamma signal during a live test. The MFMP streamed the
experiment on the internet.

Parkhomov, a retired Russian physicist, published his own results in 2014.
""",
        ["mfmp", "glowstick", "alexander-parkhomov"],
    ),
    case(
        "BlackLight's SunCell shown to investors",
        """
Brilliant Light Power, the company once known as BlackLight Power, showed a new Sun Cell
prototype to investors in New Jersey. Randell Mills says the SunCell turns hydrogen into
"hydrinos" and releases light.

Mills has raised more than $100 million over three decades. BLP plans a commercial unit.
""",
        ["blp", "suncell", "randell-mills"],
    ),
    case(
        "Brillouin reports excess heat from its Hot Tube",
        """
Brillouin Energy says its Hydrogen Hot Tube produced more heat than it consumed in tests
reviewed by SRI International. Robert Godes, the company's chief executive, expects a pilot
in two years.

Godes said the HHT reactors would first serve industrial boilers.
""",
        ["brillouin", "hot-tube", "sri", "robert-godes"],
    ),
    case(
        "Two JETs",
        """
JET Energy, the small Massachusetts company behind the NANOR device, presented at the
conference. Its founder joked that people confuse it with JET, the tokamak at Culham.

In one demonstration a jet of steam escaped from the cell. JET Energy Inc. did not comment.
""",
        ["jet-energy", "jet"],
    ),
    case(
        "Heat for industry",
        """
Process steam and industrial heat account for a fifth of the energy used in Europe. Any
technology that could deliver heat at 500 degrees without fuel would find a market.

Solar thermal and heat pumps are the leading candidates today.
""",
        [],
    ),
    case(
        "Forum notes: the ecat debate",
        """
On the forums, the ecat remains the most discussed device in the field. Some posters say the
E Cats tested so far never ran unattended; others point to the E-Cat SK demonstration.

Rossi's supporters answer that the E-Cat QX is a different design.
""",
        ["e-cat", "e-cat-sk", "e-cat-qx", "andrea-rossi"],
    ),
    case(
        "What happened to the 1 MW plant",
        """
The 1 MW plant that ran in Doral for a year was returned to Leonardo Corp. after the
settlement. Industrial Heat said the 1MW plant never produced the power claimed.

No 10 MW plant was ever built, and the customer's 1 MWh meter readings remain disputed.
""",
        ["1mw-plant", "leonardo-corporation", "industrial-heat"],
    ),
    case(
        "The Lugano report",
        """
A team including Giuseppe Levi of the University of Bologna and Hanno Essén of Uppsala
University tested a Hot-Cat in Lugano for 32 days. The report claims a coefficient of
performance above three.

Critics said the emissivity of the HotCat's surface was misjudged. Levi stands by the
measurements.
""",
        ["giuseppe-levi", "bologna", "hanno-essen", "uppsala", "hot-cat"],
    ),
    case(
        "Defkalion's Hyperion",
        """
Defkalion Green Technologies showed its Hyperion reactor in Milan, streaming the test to
an audience in Vancouver. Defkalion later moved its operations to Canada.

Observers asked why the Hyperion's input power was not measured independently.
""",
        ["defkalion", "hyperion"],
    ),
    case(
        "Hyperion Power Generation seeks licence",
        """
Hyperion Power Generation, the New Mexico company developing a small modular fission
reactor, has applied for a design review. Hyperion says its unit could power a town of
20,000 homes.

The company has no connection to the LENR field.
""",
        ["hyperion-power"],
    ),
    case(
        "Google-funded team finds no cold fusion",
        """
A team funded by Google spent four years trying to reproduce the results that Martin
Fleischmann and Stanley Pons announced at the University of Utah in 1989. Writing in
Nature, they report no excess heat.

Pons and Fleischmann's claims have never been confirmed independently.
""",
        ["google", "martin-fleischmann", "stanley-pons", "utah"],
    ),
    case(
        "ARPA-E opens a LENR programme",
        """
The Advanced Research Projects Agency–Energy has opened a $10 million programme for low
energy nuclear reactions. ARPA-E said it wants reproducible experiments with good
calorimetry.

It is the first time a US energy agency has funded the field openly.
""",
        ["arpa-e"],
    ),
    case(
        "Clean Planet and Tohoku University",
        """
Clean Planet Inc. of Tokyo and Tohoku University report excess heat from nickel-copper
nanocomposites loaded with hydrogen. Clean Planet plans a boiler with a Japanese
manufacturer.
""",
        ["clean-planet", "tohoku"],
    ),
    case(
        "McKubre's last word",
        """
Michael McKubre, who led electrochemistry research at SRI International for decades, says
the excess heat effect is real but hard to control. McKubre spent years on palladium
loading.

SRI has not worked on the subject since he retired. He spoke to Infinite Energy magazine.
""",
        ["michael-mckubre", "sri", "infinite-energy"],
    ),
    case(
        "A blog and a book",
        """
Frank Acland started E-Cat World as a blog about a single inventor and his device. ECW now
covers the whole field.

Mats Lewan, who wrote a book about the Energy Catalyzer, says the blog's readers fund
replications. Lewan lives in Stockholm.
""",
        ["frank-acland", "e-cat-world", "mats-lewan", "e-cat"],
    ),
    case(
        "Licensees in Europe",
        """
Ampenergo holds the licence for the E-Cat in the Americas, and Hydrofusion was Rossi's
partner in Sweden. Both say they have had no news since the lawsuit.

Hydro Fusion's founders have since left the field.
""",
        ["ampenergo", "hydro-fusion", "e-cat", "andrea-rossi"],
    ),
    case(
        "The validator's report",
        """
Fabio Penon, the engineer appointed to validate the year-long test, reported a coefficient
of performance near 50. Industrial Heat disputed Penon's findings in court.

Rossi chose Penon; IH says it never agreed to him.
""",
        ["fabio-penon", "industrial-heat", "andrea-rossi"],
    ),
    case(
        "Before the E-Cat",
        """
Sergio Focardi and Francesco Piantelli reported heat from nickel and hydrogen in Siena in
1994. Focardi later worked with Rossi on the device that became the E-Cat.

Piantelli went on alone and filed his own patents.
""",
        ["sergio-focardi", "francesco-piantelli", "andrea-rossi", "e-cat"],
    ),
    case(
        "Leonardo ships reactors",
        """
Leonardo shipped two E-Cat SK reactors to a customer in Sweden, according to a post on the
company's blog. The post gave no figures for the heat delivered.
""",
        ["leonardo-corporation", "e-cat-sk"],
    ),
    case(
        "Two companies called Leonardo",
        """
Not to be confused with Leonardo S.p.A., the Italian aerospace group, Rossi's Leonardo
Corporation is a small Florida company. Leonardo holds the E-Cat patents in the United
States.
""",
        ["leonardo-spa", "leonardo-corporation", "andrea-rossi", "e-cat"],
    ),
    case(
        "Cherokee's man",
        """
Thomas Darden founded Cherokee in 1984 to clean up brownfield sites. Through Cherokee
Partners he later financed Industrial Heat LLC, run day to day by JT Vaughn.

Vaughn says the company now looks at every LENR claim it can find.
""",
        ["tom-darden", "cherokee", "industrial-heat", "jt-vaughn"],
    ),
    case(
        "Settlement",
        """
Andrea Rossi and Industrial Heat settled their lawsuit on the fourth day of the trial. Under
the agreement IH returns the licence, and Rossi's company gets the 1 MW plant back.

Rossi called it a victory. Darden said IH would keep looking for technologies that work.
""",
        ["andrea-rossi", "industrial-heat", "1mw-plant", "tom-darden"],
    ),
    case(
        "Randy Mills and the hydrino",
        """
Randy Mills has been predicting commercial hydrino power since 1991, when his company was
called BlackLight. Mills says the SunCell will reach the market within two years.
""",
        ["randell-mills", "blp", "suncell"],
    ),
    case(
        "Rossi’s new reactor",
        """
Rossi’s newest device, he says, can run without a control box. The announcement came on
his blog, where Rossi answers readers every day.
""",
        ["andrea-rossi"],
    ),
    case(
        "Woodford writes down Industrial Heat",
        """
The Woodford Patient Capital Trust wrote down its holding in IH by half, its manager,
Woodford Investment Management, told shareholders. The Woodford fund had invested $50
million in 2016.
""",
        ["woodford-pct", "woodford-im", "industrial-heat"],
    ),
    case(
        "Physics explainer: electrons in a lattice",
        """
In a metal, electrons fill bands up to the Fermi level. The first Brillouin zone describes
the electron states of the lattice, and its edges explain why some metals absorb hydrogen
so well.

LENR researchers often cite this when explaining why palladium loads deuterium.
""",
        [],
    ),
    case(
        "ENEA's Frascati results",
        """
ENEA, the Italian National Agency for New Technologies, reported excess heat in palladium
cathodes at its Frascati laboratory. The results matched those of SRI when loading was
above 90 per cent.
""",
        ["enea", "sri"],
    ),
    case(
        "Joint European Torus ends operations",
        """
The Joint European Torus, the tokamak in Oxfordshire, has ended its experiments after 40
years. JET set a record of 69 megajoules of fusion energy in its final campaign.

The jet engines of fusion research, as one physicist put it, are now in France.
""",
        ["jet"],
    ),
    case(
        "A reader asks about Industrial Heat",
        """
A reader asks whether industrial heat applications are the first market for LENR. We asked
Industrial Heat, which said its priority is validation, not markets.
""",
        ["industrial-heat"],
    ),
]
