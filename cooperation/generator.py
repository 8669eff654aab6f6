"""A synthetic national catalogue for benchmarks and load tests (``manage.py generate_catalogue``).

It writes, over the real regions (``fixtures/regions.json``), a catalogue shaped like a national
one: per 100,000 agreements about 250,000 parties, 400,000 participants, 300,000 follow-ups and
3,000 organisations (smaller catalogues are scaled down, but every region keeps its regional
government). Titles and summaries are Indonesian, with a few topics far more frequent than the
rest and the inflected forms a search has to cope with (persampahan, berinvestasi,
penandatanganan, "kerjasama" beside "kerja sama"). Dates run over 2010–2026; every kind and stage
occurs; about a tenth is unpublished; about a third belongs to chains of related agreements (a
meeting, then a joint agreement, then a cooperation agreement, then an addendum).

Everything comes from one ``random.Random(seed)`` and from the rows already in the database,
read in a fixed order: the same seed on the same starting database gives the same catalogue, on
SQLite and on PostgreSQL. Terms (money, capacity, staff) are drawn from a second generator seeded
from the same seed, so that adding them left every other generated row as it was. Nothing here
is a fact: these rows must never reach the fixtures or a production database.

Rows are written with ``bulk_create`` in batches, with primary keys chosen here (so that a part
can name its agreement without reading it back) and the sequences reset at the end. That skips
what ``save()`` and signals would do per row: no history records (django-simple-history) are
written for generated rows, and ``full_clean()`` is not called (the rows are built valid; the
database's constraints still check them).
"""

import bisect
import datetime
import random
import time
from collections import defaultdict
from dataclasses import dataclass, field

from django.core.management.color import no_style
from django.db import connections, transaction
from django.utils.text import slugify

from regions.models import INDONESIA, Organisation, Person, Position, Region, Tenure

from .models import (
    Agreement,
    AgreementRelation,
    Citation,
    Evaluation,
    FollowUp,
    FollowUpOccurrence,
    Participant,
    Party,
    Sector,
    Source,
    Term,
    months_before,
    period_end,
)
from .models.follow_ups import RECURRENCE_MONTHS

START = datetime.date(2010, 1, 1)
END = datetime.date(2026, 11, 30)  # fixed, so that a seed gives the same dates on any day
SLUG_PREFIX = "gen-"  # every generated agreement's slug starts with it

# Sizes per agreement (issue 8: 100,000 agreements, ~250,000 parties, ~400,000 participants,
# ~300,000 follow-ups, ~3,000 organisations).
ORGANISATIONS_PER_AGREEMENT = 0.0245  # besides one regional government per region
MIN_OTHER_ORGANISATIONS = 30
UNPUBLISHED_SHARE = 0.1
# Cooperation agreements and addenda with terms, the kinds drawn, and amounts in millions of
# rupiah for each period.
TERMS_SHARE = 0.5
TERM_KINDS = [
    Term.Kind.PAYMENT,
    Term.Kind.FINANCIAL_AID,
    Term.Kind.COMPENSATION,
    Term.Kind.CAPACITY_LIMIT,
    Term.Kind.FACILITY_USE,
    Term.Kind.STAFF,
    Term.Kind.DATA,
]
TERM_WORDS = {
    Term.Kind.PAYMENT: "Retribusi",
    Term.Kind.FINANCIAL_AID: "Bantuan keuangan",
    Term.Kind.COMPENSATION: "Kompensasi",
    Term.Kind.CAPACITY_LIMIT: "Batas kapasitas",
    Term.Kind.FACILITY_USE: "Pemanfaatan fasilitas",
    Term.Kind.STAFF: "Tenaga ahli",
    Term.Kind.DATA: "Pertukaran data",
}
TERM_MILLIONS = {
    Term.Period.ONCE: [50, 250, 500, 1_000, 2_500],
    Term.Period.MONTHLY: [10, 25, 50, 100, 250],
    Term.Period.YEARLY: [100, 500, 1_000, 5_000, 14_000],
}
KERJASAMA_SHARE = 0.25  # texts that spell "kerjasama" as one word

Kind = Agreement.Kind
Stage = Agreement.Stage
OrgKind = Organisation.Kind


# --- Vocabulary ---------------------------------------------------------------------------

# (weight, sector slugs, phrases): a few topics far more frequent than the rest.
TOPICS = [
    (
        20,
        ["investasi", "pertumbuhan-ekonomi-daerah"],
        [
            "promosi investasi",
            "peluang berinvestasi",
            "penanaman modal",
            "kemudahan berinvestasi",
            "pengembangan kawasan industri",
        ],
    ),
    (
        16,
        ["pengelolaan-sampah"],
        [
            "pengelolaan sampah",
            "pengelolaan persampahan",
            "pengolahan sampah menjadi energi",
            "penanganan sampah regional",
            "pembangunan TPAS regional",
        ],
    ),
    (
        15,
        ["umkm"],
        [
            "pemberdayaan UMKM",
            "pemasaran produk UMKM",
            "pelatihan kewirausahaan",
            "pengembangan koperasi dan UMKM",
        ],
    ),
    (
        13,
        ["pariwisata-dan-budaya"],
        [
            "pengembangan pariwisata",
            "promosi wisata budaya",
            "pengembangan desa wisata",
            "pertukaran seni dan budaya",
        ],
    ),
    (
        12,
        ["pertanian", "harga-pangan"],
        [
            "ketahanan pangan",
            "pengendalian harga pangan",
            "pasar murah",
            "distribusi beras",
            "pengembangan pertanian organik",
        ],
    ),
    (
        10,
        ["infrastruktur"],
        [
            "pembangunan jalan penghubung",
            "penyediaan air minum",
            "pembangunan infrastruktur",
            "pengelolaan sumber daya air",
        ],
    ),
    (
        8,
        ["pelayanan-publik", "digitalisasi-layanan-publik"],
        [
            "digitalisasi layanan publik",
            "pengembangan kota cerdas",
            "sistem pemerintahan berbasis elektronik",
            "peningkatan pelayanan publik",
        ],
    ),
    (
        6,
        ["layanan-laboratorium-kesehatan"],
        [
            "layanan laboratorium kesehatan",
            "pelayanan kesehatan rujukan",
            "penanganan stunting",
        ],
    ),
    (
        5,
        ["pendapatan-asli-daerah"],
        [
            "optimalisasi pendapatan asli daerah",
            "pemungutan pajak daerah",
            "peningkatan PAD",
        ],
    ),
    (4, ["perdagangan-dan-jasa"], ["perdagangan antardaerah", "pengembangan perdagangan dan jasa"]),
    (3, ["kepelabuhanan"], ["pengembangan pelabuhan", "pengelolaan kepelabuhanan"]),
    (
        3,
        ["inovasi"],
        ["penelitian dan pengembangan", "inovasi daerah", "peningkatan kapasitas aparatur"],
    ),
    (2, ["bumd"], ["penguatan BUMD", "penyertaan modal BUMD"]),
    (2, ["industri"], ["pengembangan industri kecil", "hilirisasi industri"]),
    (
        3,
        [],
        [
            "pendidikan dan pelatihan",
            "pertukaran pelajar",
            "penanggulangan bencana",
            "pengelolaan lingkungan hidup",
        ],
    ),
]
SCOPE = [
    "pertukaran data dan informasi",
    "peningkatan kapasitas sumber daya manusia",
    "pendampingan teknis",
    "penyusunan kajian bersama",
    "promosi bersama",
    "pemanfaatan aset daerah",
    "pengembangan sistem informasi",
    "fasilitasi perizinan",
]
TITLES = {
    Kind.EXPLORATORY_MEETING: [
        "Rapat penjajakan kerja sama {topic} antara {a} dan {b}",
        "Audiensi {b} dengan {a} terkait {topic}",
        "Pertemuan {a} dan {b} membahas peluang kerja sama {topic}",
    ],
    Kind.WORKING_VISIT: [
        "Kunjungan kerja {b} ke {a} terkait {topic}",
        "Studi banding {b} tentang {topic} di {a}",
    ],
    Kind.LETTER_OF_INTENT: [
        "Penandatanganan letter of intent {a} dan {b} tentang {topic}",
        "Surat pernyataan kehendak kerja sama {topic} {a} dan {b}",
    ],
    Kind.JOINT_AGREEMENT: [
        "Penandatanganan kesepakatan bersama {a} dan {b} tentang {topic}",
        "Kesepakatan bersama {a} dengan {b} di bidang {topic}",
        "MoU {topic} antara {a} dan {b}",
    ],
    Kind.COOPERATION_AGREEMENT: [
        "Perjanjian kerja sama {a} dan {b} tentang {topic}",
        "Penandatanganan perjanjian kerja sama {topic} antara {a} dan {b}",
        "PKS {topic} {a} dengan {b}",
    ],
    Kind.ADDENDUM: ["Addendum perjanjian kerja sama {topic} {a} dan {b}"],
    Kind.OTHER: ["Forum {topic} {a} dan {b}", "Rapat koordinasi {topic} {a} bersama {b}"],
}
OPENINGS = {
    Kind.EXPLORATORY_MEETING: [
        "{a} dan {b} menggelar pertemuan penjajakan kerja sama di bidang {topic}.",
        "{a} menerima audiensi {b} untuk membahas peluang kerja sama {topic}.",
    ],
    Kind.WORKING_VISIT: [
        "{b} melakukan kunjungan kerja ke {a} untuk mempelajari {topic}.",
        "Rombongan {b} berkunjung ke {a} dalam rangka studi banding {topic}.",
    ],
    Kind.LETTER_OF_INTENT: [
        "{a} dan {b} menandatangani surat pernyataan kehendak untuk bekerja sama dalam {topic}.",
    ],
    Kind.JOINT_AGREEMENT: [
        "{a} dan {b} menandatangani kesepakatan bersama tentang {topic}.",
        "Penandatanganan kesepakatan bersama antara {a} dan {b} menjadi dasar kerja sama {topic}.",
    ],
    Kind.COOPERATION_AGREEMENT: [
        "{a} dan {b} menandatangani perjanjian kerja sama {topic} sebagai penjabaran "
        "kesepakatan bersama.",
        "Penandatanganan perjanjian kerja sama {topic} dilakukan oleh {a} dan {b}.",
    ],
    Kind.ADDENDUM: [
        "Perjanjian kerja sama {topic} antara {a} dan {b} diubah melalui addendum.",
    ],
    Kind.OTHER: ["{a} dan {b} bertemu dalam forum {topic}."],
}
CLOSINGS = [
    "Kedua pihak sepakat menindaklanjuti pertemuan dengan rapat teknis.",
    "Kegiatan ini diharapkan meningkatkan kesejahteraan masyarakat dan pertumbuhan ekonomi daerah.",
    "Penandatanganan disaksikan oleh jajaran perangkat daerah kedua belah pihak.",
    "Pemerintah daerah berkomitmen mendukung pelaksanaan kerja sama ini.",
    "Kerja sama ini diharapkan memperkuat sinergi antardaerah.",
]
KIND_WORDS = {
    Kind.EXPLORATORY_MEETING: "pertemuan penjajakan",
    Kind.WORKING_VISIT: "kunjungan kerja",
    Kind.LETTER_OF_INTENT: "surat pernyataan kehendak",
    Kind.JOINT_AGREEMENT: "kesepakatan bersama",
    Kind.COOPERATION_AGREEMENT: "perjanjian kerja sama",
    Kind.ADDENDUM: "addendum",
    Kind.OTHER: "pertemuan",
}
ACTIONS = [
    "Survei lapangan",
    "Kunjungan balasan",
    "Rapat teknis",
    "Penyusunan perjanjian kerja sama",
    "Pertemuan antar perangkat daerah",
    "Monitoring dan evaluasi pelaksanaan",
    "Pembentukan tim koordinasi",
    "Penyusunan rencana aksi",
    "Penyusunan kajian kelayakan",
    "Pelatihan bagi aparatur",
    "Sosialisasi kepada masyarakat",
    "Persetujuan DPRD",
    "Penyusunan laporan akhir",
    "Penandatanganan perjanjian kerja sama oleh perangkat daerah",
    "Pertukaran data dan informasi",
]
EVALUATION_IMPLEMENTED = [
    "Rapat koordinasi berkala telah dilaksanakan dan data kegiatan dipertukarkan.",
    "Sebagian besar kegiatan dalam rencana aksi telah dilaksanakan sesuai jadwal.",
    "Pelatihan bagi aparatur dan pelaku usaha telah diselenggarakan.",
    "Survei lapangan dan kajian teknis telah diselesaikan.",
]
EVALUATION_PROBLEMS = [
    "Keterbatasan anggaran pada APBD tahun berjalan.",
    "Koordinasi antar perangkat daerah belum optimal.",
    "Pergantian pejabat menunda sebagian kegiatan.",
    "Data pendukung belum lengkap.",
]
EVALUATION_RECOMMENDATIONS = [
    "Menyusun rencana aksi tahun berikutnya bersama kedua pihak.",
    "Menganggarkan kegiatan lanjutan pada APBD perubahan.",
    "Membentuk tim teknis bersama untuk memantau pelaksanaan.",
    "Melanjutkan kerja sama dengan memperluas ruang lingkup.",
]


def period_end_of(year, month):
    return period_end(datetime.date(year, month, 1), "month")


# (short, long name, sector slugs it usually works on)
AGENCIES = [
    ("Bappeda", "Badan Perencanaan Pembangunan Daerah", []),
    ("Bapenda", "Badan Pendapatan Daerah", ["pendapatan-asli-daerah"]),
    ("DLH", "Dinas Lingkungan Hidup", ["pengelolaan-sampah"]),
    ("Dinas PUPR", "Dinas Pekerjaan Umum dan Penataan Ruang", ["infrastruktur"]),
    ("Disparbud", "Dinas Pariwisata dan Kebudayaan", ["pariwisata-dan-budaya"]),
    ("DPMPTSP", "Dinas Penanaman Modal dan Pelayanan Terpadu Satu Pintu", ["investasi"]),
    ("Dinkes", "Dinas Kesehatan", ["layanan-laboratorium-kesehatan"]),
    ("Diskop UKM", "Dinas Koperasi dan Usaha Kecil Menengah", ["umkm"]),
    ("Disperindag", "Dinas Perindustrian dan Perdagangan", ["perdagangan-dan-jasa"]),
    ("Distan", "Dinas Pertanian", ["pertanian"]),
    ("Diskominfo", "Dinas Komunikasi dan Informatika", ["digitalisasi-layanan-publik"]),
    ("Dishub", "Dinas Perhubungan", ["kepelabuhanan"]),
    ("Labkesda", "Laboratorium Kesehatan Daerah", ["layanan-laboratorium-kesehatan"]),
]
MINISTRIES = [
    ("Kemendagri", "Kementerian Dalam Negeri"),
    ("Kemenkeu", "Kementerian Keuangan"),
    ("Kemenparekraf", "Kementerian Pariwisata dan Ekonomi Kreatif"),
    ("KemenKopUKM", "Kementerian Koperasi dan UKM"),
    ("Kementan", "Kementerian Pertanian"),
    ("KemenPUPR", "Kementerian Pekerjaan Umum dan Perumahan Rakyat"),
    ("KLHK", "Kementerian Lingkungan Hidup dan Kehutanan"),
    ("Kemenhub", "Kementerian Perhubungan"),
    ("BKPM", "Badan Koordinasi Penanaman Modal"),
    ("Bappenas", "Kementerian PPN/Bappenas"),
]
ASSOCIATIONS = [
    ("Apkasi", "Asosiasi Pemerintah Kabupaten Seluruh Indonesia"),
    ("Apeksi", "Asosiasi Pemerintah Kota Seluruh Indonesia"),
    ("APPSI", "Asosiasi Pemerintah Provinsi Seluruh Indonesia"),
    ("Adkasi", "Asosiasi DPRD Kabupaten Seluruh Indonesia"),
    ("Kadin Daerah", "Kamar Dagang dan Industri Daerah"),
]
COMPANY_WORDS = [
    "Nusantara",
    "Mandiri",
    "Sejahtera",
    "Abadi",
    "Energi",
    "Karya",
    "Tirta",
    "Agro",
    "Samudra",
    "Persada",
    "Makmur",
    "Teknologi",
    "Lestari",
    "Cipta",
    "Bumi",
    "Sentosa",
]
UNIVERSITY_FORMS = ["Universitas {}", "Institut Teknologi {}", "Politeknik Negeri {}"]
# (country, cities) for foreign partners
FOREIGN = [
    ("CN", ["Beijing", "Guangzhou", "Nanning", "Xiamen", "Chongqing"]),
    ("JP", ["Kitakyushu", "Osaka", "Fukuoka", "Kyoto"]),
    ("KR", ["Busan", "Incheon", "Daegu", "Gyeonggi"]),
    ("MY", ["Johor", "Melaka", "Penang", "Sarawak"]),
    ("AU", ["Darwin", "Perth", "Adelaide"]),
    ("NL", ["Rotterdam", "Den Haag"]),
    ("DE", ["Bremen", "Hamburg"]),
    ("TH", ["Songkhla", "Chiang Mai"]),
    ("SG", ["Singapore"]),
    ("US", ["Honolulu", "Seattle"]),
]
FOREIGN_INSTITUTIONS = [
    "{city} Chamber of Commerce",
    "{city} University",
    "{city} Investment Agency",
    "{city} Port Authority",
    "{city} Institute of Technology",
]
FIRST_NAMES = [
    "Ahmad",
    "Budi",
    "Dedi",
    "Dewi",
    "Eko",
    "Fitri",
    "Hendra",
    "Indah",
    "Joko",
    "Kurnia",
    "Lukman",
    "Maya",
    "Nur",
    "Rahmat",
    "Rina",
    "Siti",
    "Taufik",
    "Wahyu",
    "Yusuf",
    "Zainal",
    "Agus",
    "Bambang",
    "Dian",
    "Hasan",
    "Iwan",
    "Lestari",
    "Muhammad",
    "Ratna",
    "Suryadi",
    "Tuti",
]
LAST_NAMES = [
    "Hidayat",
    "Santoso",
    "Saputra",
    "Wijaya",
    "Kusuma",
    "Nugroho",
    "Siregar",
    "Harahap",
    "Lubis",
    "Pratama",
    "Rahman",
    "Setiawan",
    "Sulistyo",
    "Gunawan",
    "Hakim",
    "Susanti",
    "Permana",
    "Wibowo",
    "Halim",
    "Syahputra",
]
PREFIXES = ["", "", "", "H.", "Hj.", "Dr.", "Ir.", "Drs.", "Prof. Dr."]
SUFFIXES = ["", "", "S.E.", "S.H.", "M.Si.", "S.Sos., M.Si.", "S.T., M.T.", "M.M.", "M.A.P."]
PUBLISHERS = ["Warta Daerah", "Kabar Nusantara", "Suara Pemda", "Berita Kerja Sama"]


# --- What is generated --------------------------------------------------------------------


@dataclass(eq=False)  # compared and hashed by identity
class Org:
    """An organisation as the generator knows it."""

    pk: int
    name: str
    label: str  # how titles call it: the short name, or the name
    kind: str
    region: object = None  # Region, for Indonesian regional organisations
    government: "Org" = None  # for an agency, its regional government
    sectors: list = field(default_factory=list)
    agencies: list = field(default_factory=list)
    positions: dict = field(default_factory=dict)  # role -> Post


@dataclass
class Post:
    pk: int
    holders: list = field(default_factory=list)  # [(start, person pk)] in order of start

    def holder_on(self, day):
        starts = [start for start, _person in self.holders]
        index = bisect.bisect_right(starts, day) - 1
        return self.holders[index][1] if index >= 0 else None


@dataclass
class Counts:
    organisations: int = 0
    people: int = 0
    positions: int = 0
    tenures: int = 0
    agreements: int = 0
    parties: int = 0
    participants: int = 0
    follow_ups: int = 0
    occurrences: int = 0
    evaluations: int = 0
    sources: int = 0
    citations: int = 0
    sector_links: int = 0
    terms: int = 0
    relations: int = 0

    def __str__(self):
        return ", ".join(
            f"{value:,} {name.replace('_', ' ')}" for name, value in vars(self).items()
        )


class GeneratorError(Exception):
    pass


def region_label(region):
    return f"Provinsi {region.name}" if region.kind == Region.Kind.PROVINCE else region.name


def bare_name(region):
    for prefix in ("Kabupaten ", "Kota "):
        if region.name.startswith(prefix):
            return region.name[len(prefix) :]
    return region.name


HEAD_TITLES = {
    Region.Kind.PROVINCE: ("Gubernur", "Wakil Gubernur"),
    Region.Kind.REGENCY: ("Bupati", "Wakil Bupati"),
    Region.Kind.CITY: ("Wali Kota", "Wakil Wali Kota"),
}
SHORT_GOVERNMENT = {
    Region.Kind.PROVINCE: "Pemprov",
    Region.Kind.REGENCY: "Pemkab",
    Region.Kind.CITY: "Pemkot",
}


class CatalogueGenerator:
    """``CatalogueGenerator(agreements=100_000, seed=1).run()`` writes the catalogue."""

    def __init__(self, agreements, seed=1, batch_size=2000, using="default", log=None):
        if agreements < 1:
            raise GeneratorError("Generate at least one agreement.")
        self.target = agreements
        self.seed = seed
        self.batch_size = batch_size
        self.using = using
        self.log = log or (lambda message: None)
        self.rng = random.Random(seed)
        self.term_rng = random.Random(f"terms-{seed}")
        # Monitoring (several responsible organisations, recurring follow-ups, evaluations)
        # draws from its own sequence, so that it leaves the rest of a seed's catalogue as it was.
        self.monev_rng = random.Random(f"{seed}:monev")
        self.counts = Counts()

    # --- Set-up ----------------------------------------------------------------------------

    def run(self):
        if Agreement.objects.using(self.using).filter(slug__startswith=SLUG_PREFIX).exists():
            raise GeneratorError(
                "This database already holds a generated catalogue: generate into a fresh one."
            )
        # Governments act for provinces, regencies and cities; districts are sites only.
        regions = Region.objects.using(self.using).order_by("code")
        self.regions = list(regions.exclude(kind=Region.Kind.DISTRICT))
        self.districts = defaultdict(list)  # regency or city pk -> its district pks
        for pk, regency in regions.districts().values_list("pk", "regency"):
            self.districts[regency].append(pk)
        if not self.regions:
            raise GeneratorError("There are no regions: load fixtures/regions.json first.")
        started = time.monotonic()
        with transaction.atomic(using=self.using):
            self.next_pk = {}
            self.sectors = dict(
                Sector.objects.using(self.using).order_by("slug").values_list("slug", "pk")
            )
            self.make_organisations()
            self.make_people()
            self.log(f"organisations and officials ready ({time.monotonic() - started:.0f} s)")
            self.make_agreements(started)
            self.reset_sequences()
        self.log(f"done in {time.monotonic() - started:.0f} s: {self.counts}")
        return self.counts

    def allocate(self, model, count):
        """``count`` fresh primary keys of ``model``, after every key in use."""
        if model not in self.next_pk:
            last = model._base_manager.using(self.using).order_by("-pk").values_list("pk")[:1]
            self.next_pk[model] = (last[0][0] if last else 0) + 1
        first = self.next_pk[model]
        self.next_pk[model] += count
        return range(first, first + count)

    def reset_sequences(self):
        connection = connections[self.using]
        models = list(self.next_pk)
        statements = connection.ops.sequence_reset_sql(no_style(), models)
        with connection.cursor() as cursor:
            for sql in statements:
                cursor.execute(sql)

    def unique_slug(self, taken, text, limit=100):
        base = slugify(text)[: limit - 6].strip("-") or "x"
        slug, number = base, 1
        while slug in taken:
            number += 1
            slug = f"{base}-{number}"
        taken.add(slug)
        return slug

    # --- Organisations ---------------------------------------------------------------------

    def make_organisations(self):
        rng = self.rng
        db = Organisation.objects.using(self.using)
        self.org_slugs = set(db.values_list("slug", flat=True))
        existing = {
            region: pk
            for region, pk in db.filter(kind=OrgKind.REGIONAL_GOVERNMENT, region__isnull=False)
            .order_by("pk")
            .values_list("region", "pk")
        }
        new = []
        self.governments = []
        for region in self.regions:
            name = (
                f"Pemerintah Provinsi {region.name}"
                if region.kind == Region.Kind.PROVINCE
                else f"Pemerintah {region.name}"
            )
            short = f"{SHORT_GOVERNMENT[region.kind]} {bare_name(region)}"
            pk = existing.get(region.pk)
            if pk is None:
                (pk,) = self.allocate(Organisation, 1)
                new.append(
                    Organisation(
                        pk=pk,
                        slug=self.unique_slug(self.org_slugs, name),
                        name=name,
                        short_name=short,
                        kind=OrgKind.REGIONAL_GOVERNMENT,
                        region=region,
                    )
                )
            self.governments.append(
                Org(pk, name, short, OrgKind.REGIONAL_GOVERNMENT, region=region)
            )
        # Some regions are far busier than others: a Zipf-like weight on a shuffled order.
        order = list(range(len(self.governments)))
        rng.shuffle(order)
        self.government_weights = [0.0] * len(order)
        for rank, index in enumerate(order, start=1):
            self.government_weights[index] = 1 / rank**0.7

        others = max(MIN_OTHER_ORGANISATIONS, round(self.target * ORGANISATIONS_PER_AGREEMENT))
        self.agencies, self.parliaments, self.domestic, self.foreign_governments = [], [], [], []
        self.foreign_institutions, self.organisers = [], []

        def add(kind, name, label, group, country=INDONESIA, region=None, parent=None, **extra):
            (pk,) = self.allocate(Organisation, 1)
            new.append(
                Organisation(
                    pk=pk,
                    slug=self.unique_slug(self.org_slugs, name),
                    name=name,
                    short_name=label if label != name else "",
                    kind=kind,
                    country=country,
                    region=region,
                    parent_id=parent.pk if parent else None,
                )
            )
            org = Org(pk, name, label, kind, region=region, government=parent, **extra)
            group.append(org)
            return org

        for short, name in MINISTRIES:
            self.organisers.append(add(OrgKind.MINISTRY, name, short, self.domestic))
        for short, name in ASSOCIATIONS:
            self.organisers.append(add(OrgKind.ASSOCIATION, name, short, self.domestic))
        shares = [
            ("agency", 0.58),
            ("parliament", 0.06),
            ("regional_enterprise", 0.08),
            ("university", 0.08),
            ("company", 0.09),
            ("state_enterprise", 0.02),
            ("foreign_government", 0.04),
            ("foreign_institution", 0.05),
        ]
        taken_agencies = set()
        for what, share in shares:
            for _ in range(max(1, round(others * share))):
                government = rng.choices(self.governments, self.government_weights)[0]
                region = government.region
                if what == "agency":
                    free = [a for a in AGENCIES if (government.pk, a[0]) not in taken_agencies]
                    if not free:
                        continue
                    short, long, sectors = rng.choice(free)
                    taken_agencies.add((government.pk, short))
                    agency = add(
                        OrgKind.REGIONAL_AGENCY,
                        f"{long} {region_label(region)}",
                        f"{short} {region_label(region)}",
                        self.agencies,
                        region=region,
                        parent=government,
                        sectors=sectors,
                    )
                    government.agencies.append(agency)
                elif what == "parliament":
                    name = f"DPRD {region_label(region)}"
                    if name not in {p.name for p in self.parliaments}:
                        add(
                            OrgKind.REGIONAL_PARLIAMENT, name, name, self.parliaments, region=region
                        )
                elif what == "regional_enterprise":
                    word = rng.choice(COMPANY_WORDS)
                    name = rng.choice(
                        [
                            f"Perumda Air Minum Tirta {bare_name(region)}",
                            f"PT {word} {bare_name(region)} (Perseroda)",
                            f"PT Bank Pembangunan Daerah {bare_name(region)}",
                        ]
                    )
                    add(OrgKind.REGIONAL_ENTERPRISE, name, name, self.domestic, region=region)
                elif what == "university":
                    name = rng.choice(UNIVERSITY_FORMS).format(bare_name(region))
                    add(OrgKind.UNIVERSITY, name, name, self.domestic, region=region)
                elif what in ("company", "state_enterprise"):
                    words = rng.sample(COMPANY_WORDS, 2)
                    suffix = " (Persero)" if what == "state_enterprise" else ""
                    name = f"PT {' '.join(words)}{suffix}"
                    add(what, name, name, self.domestic)
                else:
                    country, cities = rng.choice(FOREIGN)
                    city = rng.choice(cities)
                    if what == "foreign_government":
                        name = f"{city} Metropolitan Government"
                        add(
                            OrgKind.REGIONAL_GOVERNMENT,
                            name,
                            name,
                            self.foreign_governments,
                            country=country,
                        )
                    else:
                        name = rng.choice(FOREIGN_INSTITUTIONS).format(city=city)
                        add(
                            OrgKind.INSTITUTION,
                            name,
                            name,
                            self.foreign_institutions,
                            country=country,
                        )
        db.bulk_create(new, batch_size=self.batch_size)
        self.counts.organisations = len(new)

    # --- Officials -------------------------------------------------------------------------

    def person_name(self):
        rng = self.rng
        return (
            f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}",
            rng.choice(PREFIXES),
            rng.choice(SUFFIXES),
        )

    def make_people(self):
        """Posts for every organisation, each held by a run of officials over 2006–2026."""
        rng = self.rng
        positions_db = Position.objects.using(self.using)
        position_slugs = set(positions_db.values_list("slug", flat=True))
        person_slugs = set(Person.objects.using(self.using).values_list("slug", flat=True))
        existing = {}
        for pk, org, role in positions_db.order_by("pk").values_list("pk", "organisation", "role"):
            existing.setdefault((org, role), pk)
        existing_holders = {}
        for position, start, person in (
            Tenure.objects.using(self.using)
            .order_by("position", "start_date", "pk")
            .values_list("position", "start_date", "person")
        ):
            existing_holders.setdefault(position, []).append((start or START, person))

        new_positions, new_people, new_tenures = [], [], []
        Role = Position.Role

        def post(org, role, title, term_years):
            pk = existing.get((org.pk, role))
            if pk is not None:
                org.positions[role] = Post(pk, sorted(existing_holders.get(pk, [])))
                return
            (pk,) = self.allocate(Position, 1)
            new_positions.append(
                Position(
                    pk=pk,
                    slug=self.unique_slug(position_slugs, title),
                    title=title,
                    organisation_id=org.pk,
                    role=role,
                )
            )
            holders = []
            start = datetime.date(2006 + rng.randint(0, 4), rng.randint(1, 12), rng.randint(1, 28))
            person = None
            while start <= END:
                length = datetime.timedelta(days=round(365.25 * term_years) + rng.randint(-60, 60))
                end = start + length
                if person is None or rng.random() > 0.35:  # re-elected or reappointed
                    name, prefix, suffix = self.person_name()
                    (person,) = self.allocate(Person, 1)
                    new_people.append(
                        Person(
                            pk=person,
                            slug=self.unique_slug(person_slugs, name),
                            name=name,
                            honorific_prefix=prefix,
                            honorific_suffix=suffix,
                        )
                    )
                running = end > END
                new_tenures.append(
                    Tenure(
                        person_id=person,
                        position_id=pk,
                        start_date=start,
                        end_date=None if running else end - datetime.timedelta(days=1),
                    )
                )
                holders.append((start, person))
                start = end
            org.positions[role] = Post(pk, holders)

        for government in self.governments:
            region = government.region
            head, deputy = HEAD_TITLES[region.kind]
            if region.kind == Region.Kind.PROVINCE:
                place = region.name
            else:
                place = bare_name(region)
            post(government, Role.HEAD, f"{head} {place}", 5)
            post(government, Role.DEPUTY_HEAD, f"{deputy} {place}", 5)
            post(government, Role.SECRETARY, f"Sekretaris Daerah {region_label(region)}", 4)
        for agency in self.agencies:
            post(agency, Role.AGENCY_HEAD, f"Kepala {agency.label}", 4)
        for group in (self.parliaments, self.domestic):
            for org in group:
                post(org, Role.LEADER, f"Pimpinan {org.label}", 5)
        for org in self.foreign_governments:
            post(org, Role.HEAD, f"Mayor of {org.name.split(' Metropolitan')[0]}", 4)
        for org in self.foreign_institutions:
            post(org, Role.LEADER, f"President of {org.name}", 5)

        positions_db.bulk_create(new_positions, batch_size=self.batch_size)
        Person.objects.using(self.using).bulk_create(new_people, batch_size=self.batch_size)
        Tenure.objects.using(self.using).bulk_create(new_tenures, batch_size=self.batch_size)
        self.counts.positions = len(new_positions)
        self.counts.people = len(new_people)
        self.counts.tenures = len(new_tenures)

    # --- Agreements ------------------------------------------------------------------------

    def make_agreements(self, started):
        made = 0
        batch = Batch()
        while made < self.target:
            made += self.story(batch, self.target - made)
            if len(batch.agreements) >= self.batch_size or made >= self.target:
                self.write(batch)
                batch = Batch()
                self.log(
                    f"{made:,} of {self.target:,} agreements ({time.monotonic() - started:.0f} s)"
                )

    def pick_governments(self, count, first=None):
        chosen = [first] if first else []
        while len(chosen) < count:
            government = self.rng.choices(self.governments, self.government_weights)[0]
            if government not in chosen:
                chosen.append(government)
        return chosen

    def story_parties(self):
        """(category, principal organisations, organiser or None) of a story."""
        rng = self.rng
        category = rng.choices(
            [
                Agreement.Category.KSDD,
                Agreement.Category.KSDPK,
                Agreement.Category.KSDPL,
                Agreement.Category.KSDLL,
            ],
            [55, 28, 7, 10],
        )[0]
        if category == Agreement.Category.KSDD:
            count = rng.choices([2, 3, 4], [55, 30, 15])[0]
            principals = self.pick_governments(count)
        else:
            pool = {
                Agreement.Category.KSDPK: self.domestic + self.parliaments,
                Agreement.Category.KSDPL: self.foreign_governments,
                Agreement.Category.KSDLL: self.foreign_institutions,
            }[category] or self.domestic
            principals = self.pick_governments(1) + [rng.choice(pool)]
            if rng.random() < 0.2:
                principals = list(dict.fromkeys([*principals, rng.choice(pool)]))
        organiser = None
        if rng.random() < 0.12:
            candidate = rng.choice(self.organisers)
            if candidate not in principals:
                organiser = candidate
        return category, principals, organiser

    def story(self, batch, room):
        """Add one story (an agreement, or a chain of related ones) to ``batch``; return how
        many agreements it added (at most ``room``)."""
        rng = self.rng
        length = min(room, rng.choices([1, 2, 3, 4], [62, 18, 12, 8])[0])
        if length == 1:
            kinds = [
                rng.choices(
                    list(Kind),
                    [22, 14, 5, 25, 22, 4, 8],
                )[0]
            ]
        else:
            opening = rng.choice(
                [Kind.EXPLORATORY_MEETING, Kind.WORKING_VISIT, Kind.LETTER_OF_INTENT]
            )
            kinds = [opening, Kind.JOINT_AGREEMENT, Kind.COOPERATION_AGREEMENT, Kind.ADDENDUM]
            kinds = kinds[:length] if rng.random() < 0.7 else kinds[1 : length + 1]
            kinds = kinds[:length]
        weight, topic_sectors, phrases = rng.choices(TOPICS, [t[0] for t in TOPICS])[0]
        topic = rng.choice(phrases)
        category, principals, organiser = self.story_parties()
        day = START + datetime.timedelta(days=rng.randint(0, (END - START).days))
        one_word = rng.random() < KERJASAMA_SHARE
        previous = None
        added = 0
        for kind in kinds:
            if day > END:
                break
            parties = list(principals)
            if kind in (Kind.COOPERATION_AGREEMENT, Kind.ADDENDUM):
                # A PKS is often signed by an agency of a government that signed the MoU.
                parties = [
                    rng.choice(org.agencies)
                    if org.agencies and rng.random() < 0.4 and org is not principals[0]
                    else org
                    for org in parties
                ]
            previous = self.agreement(
                batch,
                kind,
                day,
                topic,
                topic_sectors,
                category,
                parties,
                organiser,
                previous,
                one_word,
            )
            added += 1
            day += datetime.timedelta(days=rng.randint(30, 540))
        return added

    def agreement(
        self,
        batch,
        kind,
        day,
        topic,
        topic_sectors,
        category,
        parties,
        organiser,
        previous,
        one_word,
    ):
        rng = self.rng
        (pk,) = self.allocate(Agreement, 1)
        index = self.counts.agreements + len(batch.agreements) + 1
        host = parties[0]
        host_region = host.region or (host.government.region if host.government else None)
        others = [org.label for org in parties[1:]]
        others = ", ".join(others[:-1]) + " dan " + others[-1] if len(others) > 1 else others[0]
        names = {
            "a": host.label,
            "b": others,
            "topic": topic,
        }
        title = rng.choice(TITLES[kind]).format(**names)
        sentences = [rng.choice(OPENINGS[kind]).format(**names)]
        scope = rng.sample(SCOPE + [p for t in TOPICS for p in t[2] if t[1] == topic_sectors], 3)
        sentences.append(
            f"Ruang lingkup kerja sama meliputi {scope[0]}, {scope[1]} dan {scope[2]}."
        )
        signed = kind in (Kind.JOINT_AGREEMENT, Kind.COOPERATION_AGREEMENT, Kind.ADDENDUM)
        valid_from = valid_until = None
        if signed:
            valid_from = day
            if rng.random() < 0.85:
                years = rng.choice([1, 2, 3, 5] if kind != Kind.JOINT_AGREEMENT else [3, 5])
                valid_until = day + datetime.timedelta(days=round(365.25 * years) - 1)
                sentences.append(f"Kerja sama berlaku selama {years} tahun sejak ditandatangani.")
        if previous is not None:
            sentences.append(
                f"Kegiatan ini merupakan tindak lanjut dari {KIND_WORDS[previous.kind]} "
                f"pada tahun {previous.date.year}."
            )
        sentences.append(rng.choice(CLOSINGS))
        summary = " ".join(sentences)
        if one_word:
            title = title.replace("kerja sama", "kerjasama").replace("Kerja sama", "Kerjasama")
            summary = summary.replace("bekerja sama", "bekerjasama")
            summary = summary.replace("kerja sama", "kerjasama").replace("Kerja sama", "Kerjasama")
        expired = valid_until is not None and valid_until < END
        if kind in (Kind.EXPLORATORY_MEETING, Kind.WORKING_VISIT, Kind.LETTER_OF_INTENT):
            stage = Stage.EXPLORATION
        elif kind == Kind.JOINT_AGREEMENT:
            # An expired agreement keeps its stage: "expired" follows from the validity end.
            # Some are being renewed, some were ended early.
            draw = rng.random() if expired else 1
            stage = (
                Stage.IN_RENEWAL
                if draw < 0.2
                else Stage.TERMINATED
                if draw < 0.3
                else Stage.JOINT_AGREEMENT_SIGNED
            )
        elif kind == Kind.OTHER:
            stage = rng.choice([Stage.EXPLORATION, Stage.IMPLEMENTATION, Stage.SUSPENDED])
        elif expired and rng.random() < 0.8:
            stage = Stage.TERMINATED if rng.random() < 0.1 else Stage.IMPLEMENTATION
        elif kind == Kind.ADDENDUM or rng.random() < 0.6:
            stage = Stage.IMPLEMENTATION
        else:
            stage = Stage.COOPERATION_AGREEMENT_SIGNED
        abroad = host_region is None or (
            category in (Agreement.Category.KSDPL, Agreement.Category.KSDLL) and rng.random() < 0.3
        )
        if abroad:
            venue, venue_region = f"Kantor {parties[-1].name}", None
        else:
            head = host.positions.get(Position.Role.HEAD)
            venue = rng.choice(
                [
                    f"Kantor {host.label}",
                    f"Aula {host.label}",
                    f"Pendopo {region_label(host_region)}" if head else f"Kantor {host.label}",
                    f"Gedung Serbaguna {region_label(host_region)}",
                ]
            )
            venue_region = host_region
        # A cooperation agreement of a regency or city is often carried out in one district.
        site_region_id = None
        districts = self.districts.get(host_region.pk) if host_region is not None else None
        if kind == Kind.COOPERATION_AGREEMENT and districts and rng.random() < 0.5:
            site_region_id = rng.choice(districts)
        agreement = Agreement(
            pk=pk,
            slug=f"{SLUG_PREFIX}{index:06d}-{slugify(title)[:90].strip('-')}",
            title=title[:300],
            kind=kind,
            stage=stage,
            date=day,
            venue=venue[:200],
            venue_region=venue_region,
            site_region_id=site_region_id,
            valid_from=valid_from,
            valid_until=valid_until,
            summary=summary,
            is_published=rng.random() >= UNPUBLISHED_SHARE,
        )
        batch.agreements.append(agreement)
        if previous is not None:
            (relation_pk,) = self.allocate(AgreementRelation, 1)
            batch.relations.append(
                AgreementRelation(
                    pk=relation_pk,
                    agreement_id=pk,
                    earlier_id=previous.pk,
                    type=RELATION_AFTER.get(kind, AgreementRelation.Type.FOLLOWS_UP),
                )
            )

        # Sectors: the topic's, sometimes one more.
        sector_slugs = set(topic_sectors)
        for org in parties:
            sector_slugs.update(org.sectors[:1])
        if rng.random() < 0.3:
            sector_slugs.add(rng.choice(sorted(self.sectors)) if self.sectors else None)
        for slug in sorted(s for s in sector_slugs if s in self.sectors):
            batch.sectors.append((pk, self.sectors[slug]))

        # Parties
        meeting = kind in (Kind.EXPLORATORY_MEETING, Kind.WORKING_VISIT)
        party_pks = self.allocate(Party, len(parties))
        for position, org in enumerate(parties):
            if signed or kind == Kind.LETTER_OF_INTENT:
                role = Party.Role.SIGNATORY
            elif meeting:
                role = Party.Role.HOST if position == 0 else Party.Role.VISITOR
            else:
                role = Party.Role.PARTICIPANT
            batch.parties.append(
                Party(pk=party_pks[position], agreement_id=pk, organisation_id=org.pk, role=role)
            )
        if kind in (Kind.COOPERATION_AGREEMENT, Kind.ADDENDUM) and len(parties) > 1:
            self.terms(batch, pk, party_pks, topic)
        if organiser is not None and organiser not in parties:
            role = rng.choice([Party.Role.ORGANISER, Party.Role.FACILITATOR])
            (organiser_pk,) = self.allocate(Party, 1)
            batch.parties.append(
                Party(pk=organiser_pk, agreement_id=pk, organisation_id=organiser.pk, role=role)
            )

        # Participants: who held each party's posts that day.
        people, unnamed = set(), set()
        for position, org in enumerate(parties):
            roles = list(org.positions)
            if not roles:
                continue
            # The organisation's first post (its head), and sometimes one or two more of its
            # own posts or of its agencies' posts.
            extra = [(org, role) for role in roles[1:]]
            extra += [(agency, role) for agency in org.agencies[:3] for role in agency.positions]
            more = min(len(extra), rng.choices([0, 1, 2], [35, 45, 20])[0])
            chosen = [(org, roles[0])] + rng.sample(extra, more)
            for number, (owner, role) in enumerate(chosen):
                post = owner.positions.get(role)
                if post is None:
                    continue
                person = post.holder_on(day)
                if number == 0:
                    participant_role = (
                        Participant.Role.SIGNATORY
                        if signed
                        else Participant.Role.HOST
                        if position == 0
                        else Participant.Role.HEAD_OF_DELEGATION
                    )
                else:
                    participant_role = rng.choice(
                        [Participant.Role.DELEGATION_MEMBER, Participant.Role.WITNESS]
                        if signed
                        else [Participant.Role.DELEGATION_MEMBER, Participant.Role.SPEAKER]
                    )
                if person is None or (number > 0 and rng.random() < 0.08):
                    if post.pk in unnamed:
                        continue
                    unnamed.add(post.pk)
                    person = None
                elif person in people:
                    continue
                else:
                    people.add(person)
                batch.participants.append(
                    Participant(
                        agreement_id=pk,
                        person_id=person,
                        position_id=post.pk,
                        role=participant_role,
                    )
                )

        # Follow-ups
        count = rng.choices([0, 1, 2, 3, 4, 5, 6], [8, 14, 20, 22, 16, 10, 10])[0]
        responsible = [org.pk for org in parties]
        monev = self.monev_rng
        for action in rng.sample(ACTIONS, count):
            due = (
                day + datetime.timedelta(days=rng.randint(14, 540)) if rng.random() < 0.7 else None
            )
            if due is not None and due < END:
                status = rng.choices(list(FollowUp.Status), [15, 15, 50, 15, 5])[0]
            else:
                status = rng.choices(list(FollowUp.Status), [50, 30, 15, 0, 5])[0]
            done_on = None
            if status == FollowUp.Status.DONE:
                done_on = min(END, due or day + datetime.timedelta(days=rng.randint(14, 365)))
                done_on = max(done_on, day)
            (follow_up,) = self.allocate(FollowUp, 1)
            batch.follow_ups.append(
                FollowUp(
                    pk=follow_up,
                    agreement_id=pk,
                    action=f"{action} {topic}" if rng.random() < 0.5 else action,
                    due_date=due,
                    status=status,
                    done_on=done_on,
                )
            )
            if rng.random() < 0.9:
                first = rng.choice(responsible)
                batch.responsible.append((follow_up, first))
                second = monev.choice(responsible)
                if second != first and monev.random() < 0.2:
                    batch.responsible.append((follow_up, second))
        if valid_until is not None and stage == Stage.IMPLEMENTATION and monev.random() < 0.4:
            self.recurring_monitoring(batch, pk, day, valid_until, responsible)
        if valid_from is not None and stage in (Stage.IMPLEMENTATION, Stage.TERMINATED):
            self.evaluations(batch, pk, valid_from, valid_until, responsible)

        # The report it comes from.
        (source,) = self.allocate(Source, 1)
        batch.sources.append(
            Source(
                pk=source,
                slug=f"{SLUG_PREFIX}sumber-{index:06d}",
                publisher=rng.choice(PUBLISHERS + [f"Humas {host.label}"]),
                headline=title[:300],
                published_on=min(END, day + datetime.timedelta(days=rng.randint(0, 3))),
            )
        )
        batch.citations.append(Citation(agreement_id=pk, source_id=source))
        return agreement

    def terms(self, batch, agreement_pk, party_pks, topic):
        """About half the cooperation agreements and addenda have terms: what the partner pays
        the host each year or month, once, a capacity, staff."""
        rng = self.term_rng
        if rng.random() >= TERMS_SHARE:
            return
        host, partner = party_pks[0], party_pks[1]
        for kind in rng.sample(TERM_KINDS, rng.randint(1, 3)):
            fields = {}
            if kind in (Term.Kind.PAYMENT, Term.Kind.FINANCIAL_AID, Term.Kind.COMPENSATION):
                period = rng.choice(Term.Period.values)
                fields = {"amount": rng.choice(TERM_MILLIONS[period]) * 1_000_000, "period": period}
            elif kind == Term.Kind.CAPACITY_LIMIT:
                fields = {"quantity": rng.choice([5, 20, 40, 100, 250]), "unit": "tonnes_per_day"}
            elif kind == Term.Kind.STAFF:
                fields = {"quantity": rng.randint(2, 12), "unit": "people"}
            giver, receiver = (partner, host) if rng.random() < 0.8 else (host, partner)
            batch.terms.append(
                Term(
                    agreement_id=agreement_pk,
                    giver_id=giver,
                    receiver_id=receiver,
                    kind=kind,
                    description=f"{TERM_WORDS[kind]} {topic}"[:300],
                    funding_source=rng.choice(Term.FundingSource.values),
                    **fields,
                )
            )

    def recurring_monitoring(self, batch, agreement, day, valid_until, responsible):
        """Monitoring of the agreement's implementation, monthly, quarterly or each semester
        over its validity, due by the end of a month; the occurrences before the catalogue's
        end mostly done."""
        monev = self.monev_rng
        recurrence = monev.choice(
            [
                FollowUp.Recurrence.MONTHLY,
                FollowUp.Recurrence.QUARTERLY,
                FollowUp.Recurrence.SEMESTER,
            ]
        )
        (pk,) = self.allocate(FollowUp, 1)
        follow_up = FollowUp(
            pk=pk,
            agreement_id=agreement,
            action="Monitoring berkala pelaksanaan kerja sama",
            due_precision=FollowUp.Precision.MONTH,
            due_date=period_end(months_before(day, -RECURRENCE_MONTHS[recurrence]), "month"),
            recurrence=recurrence,
            recurs_until=valid_until,
            status=FollowUp.Status.IN_PROGRESS,
        )
        dates = follow_up.occurrence_dates()
        if not dates:
            return
        batch.follow_ups.append(follow_up)
        batch.responsible.append((pk, monev.choice(responsible)))
        for due in dates:
            done = due < END and monev.random() < 0.75
            batch.occurrences.append(
                FollowUpOccurrence(
                    follow_up_id=pk,
                    due_date=due,
                    done_on=min(END, due - datetime.timedelta(days=monev.randint(0, 20)))
                    if done
                    else None,
                )
            )

    def evaluations(self, batch, agreement, valid_from, valid_until, responsible):
        """Evaluations of some of the semesters or years of the agreement's validity that ended
        before the catalogue's end, each made a few weeks after its period, by one of the
        parties; a recommendation of the latest sometimes becomes a follow-up action."""
        monev = self.monev_rng
        if monev.random() < 0.4:
            return
        yearly = monev.random() < 0.4
        end = min(END, valid_until or END)
        periods = []
        for year in range(valid_from.year, end.year + 1):
            halves = [("year", 12)] if yearly else [("semester_1", 6), ("semester_2", 12)]
            for period, last_month in halves:
                period_end = period_end_of(year, last_month)
                if period_end >= valid_from and period_end < end:
                    periods.append((year, period, period_end))
        latest = None
        for year, period, period_end in periods:
            if monev.random() < 0.35:
                continue
            evaluated_on = period_end + datetime.timedelta(days=monev.randint(10, 45))
            if evaluated_on > END:
                continue
            (pk,) = self.allocate(Evaluation, 1)
            assessment = monev.choices(list(Evaluation.Assessment), [55, 25, 10, 10])[0]
            latest = Evaluation(
                pk=pk,
                agreement_id=agreement,
                year=year,
                period=period,
                evaluated_on=evaluated_on,
                evaluator_id=monev.choice(responsible),
                assessment=assessment,
                implemented=monev.choice(EVALUATION_IMPLEMENTED),
                problems=monev.choice(EVALUATION_PROBLEMS)
                if assessment != Evaluation.Assessment.COMPLETED
                else "",
                recommendation=monev.choice(EVALUATION_RECOMMENDATIONS),
            )
            batch.evaluations.append(latest)
        if latest is not None and monev.random() < 0.5:
            (pk,) = self.allocate(FollowUp, 1)
            batch.follow_ups.append(
                FollowUp(
                    pk=pk,
                    agreement_id=agreement,
                    action=f"Tindak lanjut rekomendasi evaluasi {latest.period_label}",
                    status=FollowUp.Status.PLANNED,
                    evaluation_id=latest.pk,
                )
            )
            batch.responsible.append((pk, latest.evaluator_id))

    def write(self, batch):
        using, size = self.using, self.batch_size
        Source.objects.using(using).bulk_create(batch.sources, batch_size=size)
        Agreement.objects.using(using).bulk_create(batch.agreements, batch_size=size)
        through = Agreement.sectors.through
        through.objects.using(using).bulk_create(
            [through(agreement_id=a, sector_id=s) for a, s in batch.sectors], batch_size=size
        )
        AgreementRelation.objects.using(using).bulk_create(batch.relations, batch_size=size)
        Party.objects.using(using).bulk_create(batch.parties, batch_size=size)
        Participant.objects.using(using).bulk_create(batch.participants, batch_size=size)
        Term.objects.using(using).bulk_create(batch.terms, batch_size=size)
        Evaluation.objects.using(using).bulk_create(batch.evaluations, batch_size=size)
        FollowUp.objects.using(using).bulk_create(batch.follow_ups, batch_size=size)
        through = FollowUp.responsible_organisations.through
        through.objects.using(using).bulk_create(
            [through(followup_id=f, organisation_id=o) for f, o in batch.responsible],
            batch_size=size,
        )
        FollowUpOccurrence.objects.using(using).bulk_create(batch.occurrences, batch_size=size)
        Citation.objects.using(using).bulk_create(batch.citations, batch_size=size)
        counts = self.counts
        counts.agreements += len(batch.agreements)
        counts.sources += len(batch.sources)
        counts.sector_links += len(batch.sectors)
        counts.parties += len(batch.parties)
        counts.participants += len(batch.participants)
        counts.follow_ups += len(batch.follow_ups)
        counts.occurrences += len(batch.occurrences)
        counts.evaluations += len(batch.evaluations)
        counts.citations += len(batch.citations)
        counts.terms += len(batch.terms)
        counts.relations += len(batch.relations)


# How a story's agreement relates to the one before it: a PKS implements the MoU, an addendum
# amends the PKS; anything else follows up the meeting or letter before it.
RELATION_AFTER = {
    Agreement.Kind.COOPERATION_AGREEMENT: AgreementRelation.Type.IMPLEMENTS,
    Agreement.Kind.ADDENDUM: AgreementRelation.Type.AMENDS,
}


@dataclass
class Batch:
    agreements: list = field(default_factory=list)
    sources: list = field(default_factory=list)
    sectors: list = field(default_factory=list)
    parties: list = field(default_factory=list)
    participants: list = field(default_factory=list)
    follow_ups: list = field(default_factory=list)
    responsible: list = field(default_factory=list)  # (follow-up pk, organisation pk)
    occurrences: list = field(default_factory=list)
    evaluations: list = field(default_factory=list)
    citations: list = field(default_factory=list)
    terms: list = field(default_factory=list)
    relations: list = field(default_factory=list)
