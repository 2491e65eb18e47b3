"""Networks of parties: who is connected to whom within two steps, or across the whole field.

The links come from :mod:`portal.connections` (deals, events, stakes, roles, parent
organizations: two queries per step, one for the names). Plain dicts hold them and find
each party's distance from the centre (thousands of links: a networkx graph of them cost
more than the layout); networkx lays the kept parties out (a spring layout with a fixed
seed: the same data draws the same picture). A network is capped at a readable
size: the strongest links are kept (surest confidence first, then most records), and
the page says how many were left out.
"""

import datetime
from dataclasses import dataclass, field

import networkx as nx

from lenrnews.svg import Svg, truncate

from .connections import ALL_LINKS, CONFIDENCE_RANK, LINK_KINDS, Links, Party, Record, links_touching, party_names

NETWORK_CAP = 40
MAX_CAP = 200
WIDTH, HEIGHT = 720, 500
PAD_X, PAD_Y = 70, 28
LAYOUT_SEED = 1989
NODE_TYPE_LABELS = {"organization": "organization", "person": "person", "technology": "technology"}


@dataclass
class Edge:
    """The links of one kind between two parties, with the surest confidence among them."""

    a: tuple[str, int]
    b: tuple[str, int]
    kind: str
    records: list[Record] = field(default_factory=list)
    a_party: Party | None = None
    b_party: Party | None = None

    @property
    def confidence(self):
        return min((r.confidence for r in self.records), key=CONFIDENCE_RANK.__getitem__)

    @property
    def strength(self):
        """Sorts strongest first: surest confidence, then most records."""
        return (CONFIDENCE_RANK[self.confidence], -len(self.records))

    @property
    def first(self) -> datetime.date | None:
        dates = [r.start for r in self.records if r.start]
        return min(dates) if dates else None

    @property
    def last(self) -> datetime.date | None:
        dates = [d for r in self.records for d in (r.end or r.start,) if d]
        return max(dates) if dates else None

    @property
    def kind_label(self):
        return LINK_KINDS[self.kind]


@dataclass
class Network:
    nodes: list[Party]
    edges: list[Edge]
    center: Party | None
    distance: dict[tuple[str, int], int]
    total_nodes: int
    cap: int
    depth: int
    positions: dict[tuple[str, int], tuple[float, float]] = field(default_factory=dict)
    names: dict[tuple[str, int], Party] = field(default_factory=dict)
    total_is_lower_bound: bool = False

    @property
    def capped(self):
        return self.total_nodes > len(self.nodes)


def _edges(links: Links) -> dict[tuple, Edge]:
    edges: dict[tuple, Edge] = {}
    seen = set()
    for a, b, record in links.links:
        a, b = sorted((a, b))
        key = (a, b, record.kind)
        if (key, record.pk) in seen:
            continue
        seen.add((key, record.pk))
        edges.setdefault(key, Edge(a, b, record.kind)).records.append(record)
    return edges


def _merge(*found: Links) -> Links:
    merged = Links()
    for links in found:
        merged.links += links.links
        merged.records.update(links.records)
        merged.parties.update(links.parties)
    return merged


def network_around(
    center, *, depth=2, filters=ALL_LINKS, cap=NETWORK_CAP, first_step: Links | None = None, also_name=()
):
    """The parties within ``depth`` (1 or 2) steps of ``center`` (``(type, pk)``), capped at ``cap`` nodes.

    The nodes one step away come first, strongest link to the centre first; then those two
    steps away, by their strongest link to a node kept. ``first_step`` reuses the links of
    the centre already read (the timeline's); ``also_name`` are parties whose names the
    caller needs too (``network.names``). Queries: two per step and one for the names.
    """
    step1 = first_step if first_step is not None else links_touching(_touching([center]), filters)
    edges = _edges(step1)
    best: dict = {}
    for (a, b, _kind), edge in edges.items():
        other = b if a == center else a if b == center else None
        if other is not None:
            best[other] = min(best.get(other, edge.strength), edge.strength)
    ring1 = sorted(best, key=lambda n: (best[n], n))
    # The second step goes through the neighbours that will be drawn: the others' links could
    # only add parties the cap leaves out (then the total is a lower bound).
    through = ring1[: cap - 1]
    lower_bound = len(through) < len(ring1) and depth >= 2
    if depth >= 2 and through:
        edges.update(_edges(links_touching(_touching(through), filters)))
    graph = _adjacency(edges)
    graph.setdefault(center, {})
    distance = _distances(graph, center, depth)
    total = len(distance)

    def strongest(node, among):
        return min(
            (min(e.strength for e in found) for other, found in graph[node].items() if other in among),
            default=None,
        )

    kept = [center, *through]
    if len(kept) < cap:
        inner = set(kept)
        ring2 = [(strongest(n, inner), n) for n, d in distance.items() if d == 2]
        kept += [n for score, n in sorted((s, n) for s, n in ring2 if s is not None)][: cap - len(kept)]
    names = party_names([*kept, *also_name])
    kept = [n for n in kept if n in names]
    network = _network(graph, kept, names, distance=distance, total=total, cap=cap, depth=depth)
    network.center = names.get(center)
    network.names = names
    network.total_is_lower_bound = lower_bound
    return network


def network_whole(*, filters=ALL_LINKS, cap=NETWORK_CAP):
    """The ``cap`` most connected parties of the whole field (most records, then surest), and the links among them."""
    links = links_touching(None, filters)
    graph = _adjacency(_edges(links))

    def weight(node):
        return -sum(len(e.records) for found in graph[node].values() for e in found)

    ranked = sorted(graph, key=lambda n: (weight(n), n))
    kept = ranked[:cap]
    names = party_names(kept)
    kept = [n for n in kept if n in names]
    return _network(graph, kept, names, distance={}, total=len(graph), cap=cap, depth=0)


def _adjacency(edges: dict[tuple, Edge]) -> dict[tuple[str, int], dict[tuple[str, int], list[Edge]]]:
    """Each party's neighbours, with the edges (one per kind of link) between them."""
    graph: dict[tuple[str, int], dict[tuple[str, int], list[Edge]]] = {}
    for (a, b, _kind), edge in edges.items():
        graph.setdefault(a, {}).setdefault(b, []).append(edge)
        graph.setdefault(b, {}).setdefault(a, []).append(edge)
    return graph


def _distances(graph, center, depth):
    """The parties within ``depth`` steps of ``center``, with their number of steps (breadth first)."""
    distance = {center: 0}
    frontier = [center]
    for steps in range(1, depth + 1):
        reached = []
        for node in frontier:
            for other in graph[node]:
                if other not in distance:
                    distance[other] = steps
                    reached.append(other)
        frontier = reached
    return distance


def _network(graph, kept, names, *, distance, total, cap, depth):
    sub = nx.Graph()
    sub.add_nodes_from(kept)
    chosen = set(kept)
    edges = []
    for a in kept:
        for b, found in graph.get(a, {}).items():
            if b in chosen and a < b:
                for edge in found:
                    edge.a_party, edge.b_party = names[edge.a], names[edge.b]
                    edges.append(edge)
                sub.add_edge(a, b, weight=1 + sum(len(e.records) for e in found))
    edges.sort(key=lambda e: (e.strength, e.a, e.b, e.kind))
    positions = _layout(sub, kept[0] if distance else None) if kept else {}
    return Network(
        nodes=[names[n] for n in kept],
        edges=edges,
        center=None,
        distance={n: distance.get(n) for n in kept} if distance else {},
        total_nodes=total,
        cap=cap,
        depth=depth,
        positions=positions,
    )


def _layout(graph, center):
    """Positions in the SVG's coordinates: a spring layout with a fixed seed, the centre in the middle."""
    if graph.number_of_nodes() == 1:
        return {next(iter(graph.nodes)): (WIDTH / 2, HEIGHT / 2)}
    if center is not None:
        initial = {center: (0.0, 0.0)}
        raw = nx.spring_layout(graph, seed=LAYOUT_SEED, pos=initial, fixed=[center], weight="weight", iterations=60)
    else:
        raw = nx.spring_layout(graph, seed=LAYOUT_SEED, weight="weight", iterations=60)
    xs = [float(p[0]) for p in raw.values()]
    ys = [float(p[1]) for p in raw.values()]
    span_x = max(max(xs) - min(xs), 1e-9)
    span_y = max(max(ys) - min(ys), 1e-9)
    return {
        node: (
            PAD_X + (float(p[0]) - min(xs)) / span_x * (WIDTH - 2 * PAD_X),
            PAD_Y + (float(p[1]) - min(ys)) / span_y * (HEIGHT - 2 * PAD_Y),
        )
        for node, p in raw.items()
    }


def _touching(nodes):
    touching: dict[str, list[int]] = {}
    for node_type, pk in nodes:
        touching.setdefault(node_type, []).append(pk)
    return touching


def describe(network: Network) -> str:
    kinds: dict[str, int] = {}
    for edge in network.edges:
        kinds[edge.kind_label.lower()] = kinds.get(edge.kind_label.lower(), 0) + 1
    counts = ", ".join(f"{n} {k}" for k, n in kinds.items()) or "no links"
    if network.center is not None:
        text = (
            f"Network of {network.center.name}: {len(network.nodes) - 1} parties within {network.depth} "
            f"step{'s' if network.depth != 1 else ''}, {len(network.edges)} links ({counts})."
        )
    else:
        text = f"The {len(network.nodes)} most connected parties and {len(network.edges)} links among them ({counts})."
    if network.capped:
        text += f" Showing {len(network.nodes)} of {network.total_nodes} parties: the strongest links are kept."
    text += " Dashed links are rumored or disputed, dotted ones denied. Every link is in the table that follows."
    return text


def draw(network: Network, *, id: str, title: str):
    """The network as SVG: edges styled by kind and confidence, each node a link to its page."""
    svg = Svg(id=id, width=WIDTH, height=HEIGHT, title=title, description=describe(network), css_class="network-chart")
    pos = network.positions
    names = {party.key: party for party in network.nodes}
    pair_count: dict[tuple, int] = {}
    edges_group = svg.group(class_="net-edges")
    for edge in network.edges:
        (x1, y1), (x2, y2) = pos[edge.a], pos[edge.b]
        index = pair_count[(edge.a, edge.b)] = pair_count.get((edge.a, edge.b), -1) + 1
        strong = " net-edge--strong" if len(edge.records) > 2 else ""
        classes = f"net-edge net-edge--{edge.kind} net-edge--{edge.confidence}{strong}"
        if index:
            # Another kind of link between the same two: a curve beside the first.
            mx, my = (x1 + x2) / 2, (y1 + y2) / 2
            dx, dy = x2 - x1, y2 - y1
            length = max((dx * dx + dy * dy) ** 0.5, 1)
            offset = 12 * ((index + 1) // 2) * (1 if index % 2 else -1)
            cx, cy = mx - dy / length * offset, my + dx / length * offset
            d = f"M{x1:.1f},{y1:.1f} Q{cx:.1f},{cy:.1f} {x2:.1f},{y2:.1f}"
        else:
            d = f"M{x1:.1f},{y1:.1f} L{x2:.1f},{y2:.1f}"
        shape = svg.add(edges_group, "path", d=d, class_=classes)
        a, b = names[edge.a].name, names[edge.b].name
        svg.add(shape, "title", f"{a} — {b}: {edge.kind_label.lower()}, {edge.confidence} ({len(edge.records)})")
    nodes_group = svg.group(class_="net-nodes")
    for party in network.nodes:
        x, y = pos[party.key]
        center = network.center is not None and party.key == network.center.key
        steps = network.distance.get(party.key)
        where = "" if steps is None or center else f", {steps} step{'s' if steps != 1 else ''} away"
        link = svg.link(nodes_group, party.url, f"{party.name} ({NODE_TYPE_LABELS[party.type]}{where})")
        classes = f"net-node net-node--{party.type}" + (" net-node--center" if center else "")
        size = 10 if center else 6.5
        if party.type == "organization":
            svg.add(link, "circle", cx=x, cy=y, r=size, class_=classes)
        elif party.type == "person":
            svg.add(link, "rect", x=x - size, y=y - size, width=2 * size, height=2 * size, rx=2, class_=classes)
        else:
            s = size * 1.25
            svg.add(link, "path", d=f"M{x:.1f},{y - s:.1f} L{x + s:.1f},{y:.1f} L{x:.1f},{y + s:.1f} "
                    f"L{x - s:.1f},{y:.1f} Z", class_=classes)  # fmt: skip
        right_side = x > WIDTH * 0.72
        svg.add(
            link,
            "text",
            truncate(party.name, 24),
            x=x - size - 4 if right_side else x + size + 4,
            y=y + 4,
            text_anchor="end" if right_side else None,
            class_="net-label" + (" net-label--center" if center else ""),
        )
    return svg.render()
