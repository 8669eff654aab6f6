"""The cooperation network: which regions and partners cooperate with which, and a tile-grid
map of the provinces coloured by activity (issue 10 item 4).

Two levels. Nationally the regions are the provinces. Within a province they are its
regencies and cities, and the other provinces they cooperate with. Partners are the
organisations with no region of their own (directly or through their parent): ministries,
associations, national companies, foreign governments and institutions. An organisation with a
region (a regional government, its agencies, a regional company, a university of the region) is
shown by its region: the agreement's stored region links (``AgreementRegion``) already name it.

Every count is a count of the agreement list behind it, with the same filters
(``cooperation.filters.AgreementFilter``), so each node and link leads to exactly those
agreements:

- a region: the agreements that concern it (``region=``);
- two regions: the agreements that concern both (``region=`` and ``partner_region=``);
- a region and a partner: the region's agreements with the partner as a party (``region=`` and
  ``partner=``);
- a partner: its agreements (``partner=``).

Counts are grouped in SQL (a constant number of queries) and the graph is laid out with
networkx, once per version of the data and filters (``cooperation.caching``), not per request.
"""

import math
from dataclasses import dataclass, field

from django.db import connections
from django.db.models import Count, Q
from django.http import QueryDict
from django.urls import reverse

from regions.models import Organisation, Region

from . import caching
from .models import Party, can_see_drafts
from .selectors import reader, visible_region_links

# The filters of the agreement list that the network page offers.
NETWORK_FILTERS = ("year", "category")

# How much of the network the graph draws and the table lists: the strongest links.
GRAPH_EDGES = 60
TABLE_PAIRS = 100
# Of these, at most this many with partners (the rest between regions).
GRAPH_PARTNER_EDGES = 15
TABLE_PARTNER_PAIRS = 25
# Drawing area of the graph (SVG user units) and the margin kept free for labels.
GRAPH_WIDTH, GRAPH_HEIGHT, GRAPH_MARGIN = 960, 640, 70

# The provinces as tiles, each placed roughly where it lies: {Kemendagri code: (column, row,
# usual abbreviation)}. Sumatra to the west, Java and Nusa Tenggara along the bottom, Borneo,
# Sulawesi and Maluku in the middle, Papua to the east.
TILE_GRID = {
    "11": (0, 0, "ACEH"),
    "12": (1, 1, "SUMUT"),
    "13": (1, 2, "SUMBAR"),
    "14": (2, 1, "RIAU"),
    "15": (2, 2, "JAMBI"),
    "16": (3, 3, "SUMSEL"),
    "17": (2, 3, "BKL"),
    "18": (3, 4, "LPG"),
    "19": (4, 2, "BABEL"),
    "21": (4, 1, "KEPRI"),
    "31": (5, 3, "DKI"),
    "32": (5, 4, "JABAR"),
    "33": (6, 4, "JATENG"),
    "34": (6, 5, "DIY"),
    "35": (7, 4, "JATIM"),
    "36": (4, 4, "BANTEN"),
    "51": (8, 4, "BALI"),
    "52": (9, 4, "NTB"),
    "53": (10, 4, "NTT"),
    "61": (6, 1, "KALBAR"),
    "62": (7, 2, "KALTENG"),
    "63": (8, 2, "KALSEL"),
    "64": (8, 1, "KALTIM"),
    "65": (8, 0, "KALTARA"),
    "71": (11, 1, "SULUT"),
    "72": (10, 2, "SULTENG"),
    "73": (9, 3, "SULSEL"),
    "74": (10, 3, "SULTRA"),
    "75": (10, 1, "GTLO"),
    "76": (9, 2, "SULBAR"),
    "81": (12, 2, "MALUKU"),
    "82": (12, 1, "MALUT"),
    "91": (15, 1, "PAPUA"),
    "92": (14, 1, "PABAR"),
    "93": (15, 3, "PAPSEL"),
    "94": (14, 2, "PAPTENG"),
    "95": (15, 2, "PAPEG"),
    "96": (13, 1, "PBD"),
}
TILE_SIZE, TILE_GAP = 56, 4
TILE_COLUMNS = 1 + max(column for column, _row, _label in TILE_GRID.values())
TILE_ROWS = 1 + max(row for _column, row, _label in TILE_GRID.values())
# Activity classes of the map (and of node sizes): 0 for none, then up to this many.
ACTIVITY_CLASSES = 4

# Partners: organisations acting for no region, neither directly nor through their parent.
PARTNER = Q(organisation__region__isnull=True) & (
    Q(organisation__parent__isnull=True) | Q(organisation__parent__region__isnull=True)
)


@dataclass
class Node:
    key: str  # "r<pk>" for a region, "o<pk>" for a partner
    name: str
    label: str  # short, for the drawing
    kind: str  # "region" (of the view), "outside" (another province), "partner"
    count: int = 0
    query: dict = field(default_factory=dict)  # the agreement list's filters for it
    x: float = 0.0
    y: float = 0.0
    size: int = 0  # activity class, 1..ACTIVITY_CLASSES
    url: str = ""  # the agreement list with ``query`` (built once, with the rest)

    def __post_init__(self):
        self.url = list_url(self.query)

    @property
    def radius(self):
        return 4 + 3 * self.size

    @property
    def label_x(self):
        return round(self.x + self.radius + 3, 1)

    @property
    def label_y(self):
        return round(self.y + 4, 1)


@dataclass
class Edge:
    source: Node
    target: Node
    count: int
    query: dict
    width: int = 1  # class of the stroke, 1..ACTIVITY_CLASSES
    url: str = ""

    def __post_init__(self):
        self.url = list_url(self.query)


@dataclass
class Tile:
    code: str
    name: str
    label: str
    x: int | None  # None: a province the grid does not place (listed in the table only)
    y: int | None
    count: int
    activity: int  # 0..ACTIVITY_CLASSES
    query: dict
    network_url: str
    url: str = ""

    def __post_init__(self):
        self.url = list_url(self.query)

    @property
    def placed(self):
        return self.x is not None

    @property
    def text_x(self):
        return self.x + TILE_SIZE / 2

    @property
    def text_y(self):
        return self.y + TILE_SIZE / 2 - 2

    @property
    def count_y(self):
        return self.y + TILE_SIZE / 2 + 14


@dataclass
class Network:
    nodes: list  # those the graph draws
    edges: list  # drawn, strongest first
    pairs: list  # for the table, strongest first (at most TABLE_PAIRS)
    pair_count: int  # all pairs
    tiles: list
    legend: list  # [(activity class, lowest count, highest count)]
    key: str  # what it was computed for (data version, level, reader, filters): its drawing's
    # rendered HTML is cached under it too, per language (templates/cooperation/network.html)
    width: int = GRAPH_WIDTH
    height: int = GRAPH_HEIGHT
    map_width: int = TILE_COLUMNS * (TILE_SIZE + TILE_GAP)
    map_height: int = TILE_ROWS * (TILE_SIZE + TILE_GAP)


def query_string(query):
    """``?name=value&...`` for ``query`` ({filter name: value}); empty for no filter."""
    params = QueryDict(mutable=True)
    params.update({name: str(value) for name, value in query.items()})
    return f"?{params.urlencode()}" if params else ""


def list_url(query):
    """The agreement list with ``query`` ({filter name: value}) as its query string."""
    return reverse("cooperation:agreement_list") + query_string(query)


def active_filters(filterset):
    """{name: value} of the network filters that are set and valid (``filterset`` is the
    agreement list's, restricted to ``NETWORK_FILTERS``)."""
    if not filterset.is_valid():
        return {}
    data = filterset.form.cleaned_data
    return {name: data[name] for name in NETWORK_FILTERS if data.get(name) not in (None, "")}


def cooperation_network(user, filterset, province=None):
    """The network (nationally, or within ``province``) and the province map, of the agreements
    ``user`` may see that pass ``filterset``'s valid filters; cached per data version."""
    filters = active_filters(filterset)
    name = ":".join(
        [
            "network",
            province.code if province else "",
            "drafts" if can_see_drafts(reader(user)) else "published",
            *(f"{key}={value}" for key, value in sorted(filters.items())),
        ]
    )
    version = caching.data_version()
    key = f"{version}:{name}"
    return caching.cached(
        name, lambda: _compute(user, filterset, filters, province, key), version=version
    )


# --- Computing it ----------------------------------------------------------------------------


def _links(user, filterset, filters):
    """The region links of the agreements ``user`` may see that pass the filters."""
    links = visible_region_links(user)
    if filters:
        links = links.filter(agreement__in=filterset.qs.order_by().values("pk"))
    return links


def _parties(user, filterset, filters):
    parties = Party.objects.all()
    if not can_see_drafts(reader(user)):
        parties = parties.filter(agreement__is_published=True)
    if filters:
        parties = parties.filter(agreement__in=filterset.qs.order_by().values("pk"))
    return parties


def _compute(user, filterset, filters, province, key):
    links = _links(user, filterset, filters)
    parties = _parties(user, filterset, filters)
    provinces = Q(region__kind=Region.Kind.PROVINCE)
    if province is None:
        inner = others = provinces
    else:
        inner = Q(region__province=province, region__kind__in=Region.MIDDLE_KINDS)
        others = inner | (provinces & ~Q(region=province))
    inner_links = links.filter(inner).values_list("agreement", "region")
    # 1. Pairs of regions: the agreements concerning both (each pair once).
    region_pairs = _co_occurrences(
        inner_links, links.filter(others).values_list("agreement", "region"), same_keys=True
    )
    region_pairs = [
        (a, b, n) for (a, b), n in region_pairs.items() if a < b or (b, a) not in region_pairs
    ]
    # 2. A region and a partner: the region's agreements with the partner as a party (the
    # region's links say which agreements the reader may see).
    partner_pairs = _co_occurrences(
        inner_links, Party.objects.filter(PARTNER).values_list("agreement", "organisation")
    )
    partner_pairs = [(a, b, n) for (a, b), n in partner_pairs.items()]
    between_regions = _strongest_first([("r", a, "r", b, n) for a, b, n in region_pairs])
    with_partners = _strongest_first([("r", a, "o", b, n) for a, b, n in partner_pairs])
    # 3. What each region counts (the map's provinces, and the view's regions).
    region_filter = provinces if province is None else provinces | inner
    region_counts = dict(
        links.filter(region_filter).order_by().values_list("region").annotate(n=Count("*"))
    )
    # 4. What each partner counts, for the partners of the table.
    # The strongest links between regions and the strongest with partners, so that partners
    # show beside the far busier links between regions.
    shown = _strongest_first(
        between_regions[: TABLE_PAIRS - TABLE_PARTNER_PAIRS] + with_partners[:TABLE_PARTNER_PAIRS]
    )
    partner_keys = {b for _kind, _a, other_kind, b, _n in shown if other_kind == "o"}
    partner_counts = dict(
        parties.filter(organisation__in=partner_keys)
        .order_by()
        .values_list("organisation")
        .annotate(n=Count("*"))
    )
    # 5, 6. Names.
    regions = {
        region.pk: region
        for region in Region.objects.filter(
            Q(pk__in=region_counts.keys()) | Q(kind=Region.Kind.PROVINCE)
        ).only("code", "name", "kind")
    }
    partners = {
        partner.pk: partner
        for partner in Organisation.objects.filter(pk__in=partner_keys).only(
            "slug", "name", "short_name"
        )
    }
    nodes = {}
    for region in regions.values():
        kind = "region"
        if province is not None and region.kind == Region.Kind.PROVINCE:
            kind = "outside"
        nodes[f"r{region.pk}"] = Node(
            key=f"r{region.pk}",
            name=str(region),
            label=_region_label(region),
            kind=kind,
            count=region_counts.get(region.pk, 0),
            query={"region": region.code, **filters},
        )
    for partner in partners.values():
        nodes[f"o{partner.pk}"] = Node(
            key=f"o{partner.pk}",
            name=partner.name,
            label=_short(partner.short_name or partner.name),
            kind="partner",
            count=partner_counts.get(partner.pk, 0),
            query={"partner": partner.slug, **filters},
        )
    edges = []
    for _kind, a, other_kind, b, n in shown:
        if other_kind == "r":
            other = {"partner_region": regions[b].code}
        else:
            other = {"partner": partners[b].slug}
        query = {"region": regions[a].code, **other, **filters}
        edges.append(Edge(nodes[f"r{a}"], nodes[f"{other_kind}{b}"], n, query))
    drawn = [edge for edge in edges if edge.target.kind != "partner"][
        : GRAPH_EDGES - GRAPH_PARTNER_EDGES
    ]
    drawn = _strongest_first(
        drawn + [edge for edge in edges if edge.target.kind == "partner"][:GRAPH_PARTNER_EDGES]
    )
    drawn_nodes = _layout(drawn, province)
    _classify([node.count for node in drawn_nodes], drawn_nodes, "size")
    _classify([edge.count for edge in drawn], drawn, "width")
    tiles, legend = _tiles(regions, region_counts, filters)
    return Network(
        nodes=drawn_nodes,
        edges=drawn,
        pairs=edges,
        pair_count=len(between_regions) + len(with_partners),
        tiles=tiles,
        legend=legend,
        key=key,
    )


def _strongest_first(rows):
    """Pairs (tuples ending in their count) or edges, the strongest first."""
    if rows and isinstance(rows[0], Edge):
        return sorted(rows, key=lambda edge: (-edge.count, edge.source.name, edge.target.name))
    return sorted(rows, key=lambda row: (-row[4], row[1], row[3]))


def _co_occurrences(left, right, same_keys=False):
    """{(left key, right key): number of agreements} for two querysets of (agreement, key)
    rows (with ``same_keys``, keys of one kind: a key is not paired with itself): one grouped
    join in SQL. (The ORM would join the two through the
    agreements' table, which at national scale costs twice the time.)"""
    left_sql, left_params = left.order_by().query.sql_with_params()
    right_sql, right_params = right.order_by().query.sql_with_params()
    sql = (
        f"WITH l (agreement_id, k) AS ({left_sql}), r (agreement_id, k) AS ({right_sql}) "
        "SELECT l.k, r.k, COUNT(*) FROM l INNER JOIN r ON l.agreement_id = r.agreement_id "
        f"{'WHERE l.k <> r.k ' if same_keys else ''}GROUP BY l.k, r.k"
    )
    with connections[left.db].cursor() as cursor:
        cursor.execute(sql, (*left_params, *right_params))
        return {(a, b): n for a, b, n in cursor.fetchall()}


def _short(text, length=22):
    return text if len(text) <= length else text[: length - 1].rstrip() + "…"


def _region_label(region):
    if region.kind == Region.Kind.PROVINCE:
        return TILE_GRID.get(region.code, (0, 0, region.name))[2]
    name = region.name
    if name.startswith("Kabupaten "):
        name = "Kab. " + name.removeprefix("Kabupaten ")
    return _short(name)


def _breaks(counts):
    """Upper bounds of up to ``ACTIVITY_CLASSES`` classes of the non-zero ``counts``: their
    quantiles, each class holding about as many values."""
    values = sorted(count for count in counts if count > 0)
    if not values:
        return []
    bounds = []
    for step in range(1, ACTIVITY_CLASSES + 1):
        bound = values[math.ceil(step * len(values) / ACTIVITY_CLASSES) - 1]
        if not bounds or bound > bounds[-1]:
            bounds.append(bound)
    return bounds


def _activity(count, bounds):
    if count <= 0:
        return 0
    return next(index for index, bound in enumerate(bounds, 1) if count <= bound)


def _classify(counts, items, attribute):
    bounds = _breaks(counts)
    for item in items:
        setattr(item, attribute, max(1, _activity(item.count, bounds)))


def _layout(edges, province):
    """Place the nodes of ``edges`` with networkx's force-directed layout (deterministic: a
    fixed seed; nationally the provinces start where their tiles lie), scaled to the
    drawing; the nodes, strongest first."""
    import networkx

    graph = networkx.Graph()
    nodes = {}
    for edge in edges:
        for node in (edge.source, edge.target):
            nodes[node.key] = node
            graph.add_node(node.key)
        graph.add_edge(edge.source.key, edge.target.key, weight=math.log1p(edge.count))
    if not nodes:
        return []
    start = None
    if province is None:
        start = {}
        for key, node in nodes.items():
            column, row, _label = TILE_GRID.get(node.query.get("region", ""), (7.5, 2.5, ""))
            start[key] = (column / TILE_COLUMNS * 2 - 1, row / TILE_ROWS * 2 - 1)
    positions = networkx.spring_layout(
        graph, pos=start, seed=10, iterations=80, weight="weight", k=1.6 / math.sqrt(len(nodes))
    )
    # One scale for both axes (no distortion), centred in the drawing.
    xs = [x for x, _y in positions.values()]
    ys = [y for _x, y in positions.values()]
    width, height = GRAPH_WIDTH - 2 * GRAPH_MARGIN, GRAPH_HEIGHT - 1.5 * GRAPH_MARGIN
    scale = min(width / ((max(xs) - min(xs)) or 1), height / ((max(ys) - min(ys)) or 1))
    left = GRAPH_MARGIN + (width - (max(xs) - min(xs)) * scale) / 2
    top = GRAPH_MARGIN / 2 + (height - (max(ys) - min(ys)) * scale) / 2
    for key, (x, y) in positions.items():
        nodes[key].x = round(left + (x - min(xs)) * scale, 1)
        nodes[key].y = round(top + (y - min(ys)) * scale, 1)
    return sorted(nodes.values(), key=lambda node: (-node.count, node.name))


def _tiles(regions, region_counts, filters):
    """Every province, as a tile of the map where the grid places it (``placed``), and the
    legend of the activity classes: [(class, lowest count, highest count)]."""
    provinces = sorted(
        (region for region in regions.values() if region.kind == Region.Kind.PROVINCE),
        key=lambda region: region.code,
    )
    bounds = _breaks(region_counts.get(region.pk, 0) for region in provinces)
    suffix = query_string(filters)
    tiles = []
    for region in provinces:
        column, row, label = TILE_GRID.get(region.code, (None, None, region.name))
        count = region_counts.get(region.pk, 0)
        tiles.append(
            Tile(
                code=region.code,
                name=str(region),
                label=label,
                x=None if column is None else column * (TILE_SIZE + TILE_GAP),
                y=None if row is None else row * (TILE_SIZE + TILE_GAP),
                count=count,
                activity=_activity(count, bounds),
                query={"region": region.code, **filters},
                network_url=reverse("cooperation:network_province", args=[region.code]) + suffix,
            )
        )
    legend = [(0, 0, 0)]
    low = 1
    for index, bound in enumerate(bounds, 1):
        legend.append((index, low, bound))
        low = bound + 1
    return tiles, legend
