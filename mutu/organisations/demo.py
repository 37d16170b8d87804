"""Demo data: Kabupaten Penajam Paser Utara (64.09, WITA) with the units a real Pemda has.

Everything here is marked is_demo and the UI shows a DEMO banner. The names of the OPD follow
the usual nomenclature of a kabupaten; people and contact details are invented.
"""

import io
from decimal import Decimal

from django.core.files.base import ContentFile
from django.db import transaction

from mutu.core.models import User
from mutu.core.roles import Role
from mutu.organisations import services
from mutu.organisations.demo_units import PROVINCE_UNITS, UNITS
from mutu.organisations.imports import holidays_load_national
from mutu.organisations.models import Pemda, Region, Unit
from mutu.organisations.regions import regions_import

DEMO_PASSWORD = "demo-mutu-2026"  # noqa: S105 - a published demo password, demo accounts only
DEMO_REGION = "64.09"
DEMO_PROVINCE = "64"

USERS = [
    ("admin", "Rina Kartika (DEMO)", "Kepala Bagian Organisasi", Role.PEMDA_ADMIN, ""),
    ("inspektorat", "Bambang Wiyono (DEMO)", "Auditor Inspektorat", Role.INSPECTOR, ""),
    ("kepala.disdukcapil", "Hj. Siti Rahmah (DEMO)", "Kepala Dinas", Role.UNIT_HEAD, "Disdukcapil"),
    (
        "operator.disdukcapil",
        "Andi Saputra (DEMO)",
        "Operator SKM",
        Role.UNIT_OPERATOR,
        "Disdukcapil",
    ),
    ("kepala.dinkes", "dr. Made Suarsana (DEMO)", "Kepala Dinas", Role.UNIT_HEAD, "Dinkes"),
    (
        "operator.pkmwaru",
        "Nurul Hidayah (DEMO)",
        "Operator Puskesmas",
        Role.UNIT_OPERATOR,
        "PKM Waru",
    ),
    ("evaluator", "Yohanes Pakpahan (DEMO)", "Evaluator PEKPPP", Role.EVALUATOR, ""),
]
EVALUATED_UNITS = ["Disdukcapil", "DPMPTSP", "RSUD RAPB", "MPP"]
DEMO_DOMAIN = "demo.mutu.id"


def _kecamatan_coordinates() -> dict[str, tuple[Decimal | None, Decimal | None]]:
    rows = Region.objects.filter(parent__code=DEMO_REGION).values_list(
        "name", "latitude", "longitude"
    )
    return {name: (lat, lon) for name, lat, lon in rows}


def _ensure_pemda(code: str, address: str) -> Pemda:
    existing = Pemda.objects.filter(region__code=code).first()
    if existing:
        return existing
    return services.pemda_create(
        region=Region.objects.get(code=code), address=address, is_demo=True
    )


def demo_logo_png(initials: str) -> bytes:
    """A plain placeholder logo: a rounded shield with the initials and "DEMO" on it. Drawn here
    so that the demo report has a logo without using any real coat of arms."""
    from PIL import Image, ImageDraw, ImageFont

    size = 320
    image = Image.new("RGBA", (size, size), (255, 255, 255, 0))
    draw = ImageDraw.Draw(image)
    draw.rounded_rectangle((20, 10, 300, 230), radius=36, fill="#0b5394")
    draw.polygon([(20, 200), (300, 200), (160, 312)], fill="#0b5394")
    draw.rounded_rectangle((40, 30, 280, 210), radius=26, outline="#f1c232", width=6)
    big, small = ImageFont.load_default(size=86), ImageFont.load_default(size=40)
    draw.text((160, 112), initials, font=big, fill="white", anchor="mm")
    draw.text((160, 236), "DEMO", font=small, fill="#f1c232", anchor="mm")
    buffer = io.BytesIO()
    image.save(buffer, format="PNG", optimize=True)
    return buffer.getvalue()


def _ensure_logo(pemda: Pemda, initials: str) -> None:
    if not pemda.logo:
        pemda.logo.save(f"demo-{initials.lower()}.png", ContentFile(demo_logo_png(initials)))


def _seed_units(pemda: Pemda) -> dict[str, Unit]:
    coords = _kecamatan_coordinates()
    by_short = {u.short_name: u for u in pemda.units.all()}
    for index, (name, short, kind, parent, kecamatan, service_names) in enumerate(UNITS):
        if short in by_short:
            continue
        lat, lon = coords.get(kecamatan, (None, None))
        # Spread units of one kecamatan a little so that the map shows them apart.
        offset = Decimal(index % 7) * Decimal("0.002")
        unit = services.unit_create(
            pemda=pemda,
            actor=None,
            name=name,
            short_name=short,
            kind=kind,
            parent=by_short.get(parent),
            address=f"Kecamatan {kecamatan}, Penajam Paser Utara",
            latitude=lat + offset if lat is not None else None,
            longitude=lon + offset if lon is not None else None,
            head_name=f"Kepala {short} (DEMO)",
            head_title=f"Kepala {short}",
            # An impossible NIP (born in month 00): a placeholder nobody can mistake for a real one.
            head_nip=f"19800001 200501 1 {index + 1:03d}",
            email=f"{short.lower().replace(' ', '').replace('.', '')}@{DEMO_DOMAIN}",
        )
        by_short[short] = unit
        for service_name in service_names:
            services.service_create(unit=unit, actor=None, name=service_name)
    return by_short


def _seed_province(province: Pemda) -> None:
    for name, short, kind, service_names in PROVINCE_UNITS:
        if province.units.filter(short_name=short).exists():
            continue
        unit = services.unit_create(
            pemda=province, actor=None, name=name, short_name=short, kind=kind
        )
        for service_name in service_names:
            services.service_create(unit=unit, actor=None, name=service_name)


def _user(local: str, full_name: str, job_title: str = "", superuser: bool = False) -> User:
    email = f"{local}@{DEMO_DOMAIN}"
    user = User.objects.filter(email=email).first()
    if user is None:
        maker = User.objects.create_superuser if superuser else User.objects.create_user
        user = maker(
            email=email,
            password=DEMO_PASSWORD,
            full_name=full_name,
            job_title=job_title,
            is_demo=True,
        )
    return user


def _seed_users(pemda: Pemda, province: Pemda, units: dict[str, Unit]) -> None:
    for local, full_name, title, role, unit_short in USERS:
        user = _user(local, full_name, title)
        if role == Role.EVALUATOR:
            for short in EVALUATED_UNITS:
                services.membership_grant(user=user, role=role, unit=units[short], actor=None)
        elif unit_short:
            services.membership_grant(user=user, role=role, unit=units[unit_short], actor=None)
        else:
            services.membership_grant(user=user, role=role, pemda=pemda, actor=None)
    prov_admin = _user("admin.provinsi", "Fajar Nugroho (DEMO)", "Analis Kebijakan Biro Organisasi")
    services.membership_grant(
        user=prov_admin, role=Role.PROVINCIAL_ADMIN, pemda=province, actor=None
    )
    national = _user("nasional", "Dewi Lestari (DEMO)", "Pemantau KemenPANRB")
    services.membership_grant(user=national, role=Role.NATIONAL_VIEWER, actor=None)
    _user("superadmin", "Admin Platform (DEMO)", "Administrator mutu", superuser=True)


def seed(*, year: int) -> Pemda:
    """Create the demo kabupaten and everything around it; running it twice changes nothing."""
    if not Region.objects.filter(code=DEMO_REGION).exists():
        regions_import()
    with transaction.atomic():
        pemda = _ensure_pemda(DEMO_REGION, "Jl. Provinsi Km. 9, Nipah-Nipah, Penajam 76141")
        province = _ensure_pemda(DEMO_PROVINCE, "Jl. Gajah Mada No. 2, Samarinda 75121")
        _ensure_logo(pemda, "PPU")
        _ensure_logo(province, "KT")
        units = _seed_units(pemda)
        _seed_province(province)
        _seed_users(pemda, province, units)
        for each in (year - 1, year, year + 1):
            holidays_load_national(year=each)
    return pemda


def demo_logins() -> list[tuple[str, str]]:
    """(email, role description) of every demo account, for `make run` to print."""
    rows = [(f"{local}@{DEMO_DOMAIN}", str(role.label)) for local, _n, _t, role, _u in USERS]
    rows += [
        (f"admin.provinsi@{DEMO_DOMAIN}", str(Role.PROVINCIAL_ADMIN.label)),
        (f"nasional@{DEMO_DOMAIN}", str(Role.NATIONAL_VIEWER.label)),
        (f"superadmin@{DEMO_DOMAIN}", "Superuser"),
    ]
    return rows
