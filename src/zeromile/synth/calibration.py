"""Calibration targets of the synthetic world, each with its public source.

Shares are per declaration unless noted. Where no public figure exists (for
example the destinations of Chinese used-car exports), the value is a stated
assumption and ``docs/synthetic-world.md`` says so. Rates of injected
anomalies are in :class:`AnomalyRates`.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import asdict, dataclass
from typing import Any

#: Declarations fall in this window (export-side rules of 2024-2026 apply).
PERIOD_START = dt.date(2024, 1, 1)
PERIOD_END = dt.date(2026, 6, 30)

#: Declarations per unit of ``--scale``.
DECLARATIONS_PER_SCALE = 1_000_000

#: Yearly used-car export units behind the origin shares.
ORIGIN_UNITS: dict[str, int] = {
    # China 2024: MOFCOM, https://electriccarsnewspaper.com/?p=11824
    "CN": 436_000,
    # Korea 2023 (~640,000 units): https://www.livesnews.com/news/article.html?no=50212
    "KR": 640_000,
    # Japan 2024 Jan-Nov 1.43 m, annualised x12/11:
    # http://www.japanpress.co.jp/front/SG_topnews-m.php?news=1736472093
    "JP": 1_560_000,
}

#: Share of Chinese used exports that are zero-mileage cars (CADA estimate, 2024):
#: https://www.ainvest.com/news/china-auto-industry-fire-inflating-sales-mileage-exports-2506
CN_ZERO_MILEAGE_SHARE = 0.90
#: Korea Customs reports new cars disguised as used among illegal exports to Russia
#: (https://worldautoforum.com/south-korea-pledges-to-accelerate-crackdown-on-illegal-car-exports-to-russia);
#: no share is published, so a small assumed share.
KR_ZERO_MILEAGE_SHARE = 0.02
#: Chinese exports declared ``new`` that appear in used-car dossiers (assumption, decoys).
CN_NEW_SHARE = 0.02
#: Young, low-mileage genuinely used Chinese cars that look borderline (assumption).
CN_BORDERLINE_USED_SHARE = 0.35

#: Destinations by origin (weights, normalised when drawn).
DESTINATIONS: dict[str, dict[str, float]] = {
    # No per-destination table exists (regulations.md §9); qualitative sources name
    # Russia, Kyrgyzstan, Kazakhstan, Uzbekistan and the Middle East (assumed weights).
    "CN": {"RU": 0.34, "KG": 0.16, "KZ": 0.12, "AE": 0.12, "UZ": 0.07, "SA": 0.05,
           "JO": 0.04, "IQ": 0.04, "GE": 0.03, "TJ": 0.03},
    # Korea Jan-Oct 2025 by value: KG $2.624 bn, RU $909 m, KZ $664 m, AE $337 m of
    # ~USD 7.6 bn (http://www.ulsanilbo.co.kr/news/articleViewAmp.html?idxno=107163);
    # the rest spread over other named markets (assumption).
    "KR": {"KG": 0.345, "RU": 0.12, "KZ": 0.087, "AE": 0.044, "JO": 0.12, "LY": 0.09,
           "TJ": 0.06, "MN": 0.05, "GE": 0.05, "EG": 0.034},
    # Japan 2025 ranking: UAE, Russia, Sri Lanka, Tanzania, Kenya, Mongolia
    # (http://www.japanpress.co.jp/front/SG_topnews-m.php?news=1757033960); weights assumed
    # decreasing with rank, the rest to other RHD markets.
    "JP": {"AE": 0.20, "RU": 0.17, "LK": 0.10, "TZ": 0.09, "KE": 0.08, "MN": 0.06,
           "NZ": 0.10, "PK": 0.06, "UG": 0.05, "MY": 0.05, "GB": 0.04},
}  # fmt: skip

#: Fuel mix of Chinese exports. No used-export fuel split is published; the NEV share
#: follows China's 2024 new-car NEV share of 40.9% (CAAM via Jiji,
#: https://news.infoseek.co.jp/amp/article/250113jijiX743), BEV/PHEV split assumed.
CN_FUEL_MIX: dict[str, float] = {
    "bev": 0.22, "phev": 0.189, "petrol": 0.53, "hev": 0.04, "diesel": 0.021,
}  # fmt: skip

#: Sanctions shape the flows: Japan bans exports to Russia of cars over 1,900 cc and
#: all hybrids/EVs since 9 Aug 2023 (https://www.netdenjd.com/articles/-/288454);
#: Korea bans cars over 2,000 cc since Feb 2024
#: (https://www.kedglobal.com/economy/newsView/ked202402200011).
RUSSIA_MAX_CC: dict[str, int] = {"JP": 1900, "KR": 2000}
RUSSIA_BANNED_FUELS: dict[str, frozenset[str]] = {
    "JP": frozenset({"hev", "phev", "bev", "erev", "fcev"}),
    "KR": frozenset(),
}

#: Share of cars bound for Kyrgyzstan/Kazakhstan that are re-exported to Russia:
#: 70-80% believed re-exported (https://www.livesnews.com/news/article.html?no=50212).
REEXPORT_SHARE = 0.75

#: Destinations with an age limit get cars young enough (years since first registration):
#: Kenya, rolling 8 years (KS 1515:2000,
#: https://hapakenya.com/2025/11/14/kebs-announces-new-rules-for-importing-used-cars-from-january-2026/);
#: Pakistan, 5 years for commercial imports (from Oct 2025,
#: https://dunyanews.tv/en/Business/909467-pakistan-lifts-ban-on-import-of-vehicles-over-5-years-old-to-meet-imf-).
MAX_AGE_YEARS: dict[str, float] = {"KE": 7.0, "PK": 4.5}

#: Mean age at export (years) and yearly distance (km) of genuinely used cars (assumptions).
USED_AGE_YEARS: dict[str, tuple[float, float]] = {"CN": (3.0, 0.3), "KR": (7.0, 2.0),
                                                  "JP": (8.0, 3.0)}  # fmt: skip
YEARLY_KM: dict[str, float] = {"CN": 12_000.0, "KR": 14_000.0, "JP": 8_000.0}

#: USD per unit of the list-price currency, 2024 averages (Federal Reserve H.10,
#: https://www.federalreserve.gov/releases/h10/).
USD_PER: dict[str, float] = {"CNY": 0.139, "KRW": 0.000733, "JPY": 0.00661}

#: First-level regions (ISO 3166-2) where exporters and first owners sit.
REGIONS: dict[str, tuple[str, ...]] = {
    "CN": ("CN-GD", "CN-ZJ", "CN-SH", "CN-SC", "CN-CQ", "CN-XJ", "CN-SD", "CN-HI", "CN-TJ",
           "CN-HL", "CN-JS", "CN-AH"),
    "KR": ("KR-28", "KR-26", "KR-41", "KR-11"),
    "JP": ("JP-14", "JP-23", "JP-27", "JP-15", "JP-13", "JP-28"),
    "KG": ("KG-C", "KG-GB"),
    "KZ": ("KZ-75", "KZ-19"),
}  # fmt: skip

#: UN/LOCODE sea ports of exit; land crossings leave ``port_of_exit`` empty.
PORTS: dict[str, tuple[str, ...]] = {
    "CN": ("CNSHA", "CNTXG", "CNNSA", "CNDLC", "CNTAO"),
    "KR": ("KRINC", "KRPUS", "KRPTK"),
    "JP": ("JPYOK", "JPNGO", "JPOSA", "JPKOB"),
}
LAND_DESTINATIONS: dict[str, frozenset[str]] = {
    "CN": frozenset({"RU", "KG", "KZ", "UZ", "TJ", "MN"}),
    "KG": frozenset({"RU"}),
    "KZ": frozenset({"RU"}),
}


@dataclass(frozen=True)
class AnomalyRates:
    """Injection rates; each is a share of the population named in its comment."""

    #: of genuinely used cars with one declaration. NHTSA found ~3.5% of <=11-year-old
    #: US cars rolled back (https://drivers.com/article/564); exports sit higher
    #: (EU: 30-50% of imported cars, https://www.europarl.europa.eu/news/en/headlines/society/20180525STO04312/fighting-mileage-fraud-on-used-cars).
    rollback: float = 0.05
    #: of cars with a 17-character VIN (assumption: keying and forgery errors).
    invalid_vin: float = 0.004
    #: of Chinese VINs (check digit mandatory for WMIs starting with L).
    check_digit: float = 0.01
    #: of cars with a 17-character VIN: vehicles.make differs from the WMI's make.
    make_mismatch: float = 0.005
    #: of cars with a 17-character VIN: position 10 names another model year.
    year_mismatch: float = 0.005
    #: of used cars: no registration history supplied at all.
    never_registered: float = 0.005
    #: of declarations: exporter unknown, suspended/revoked, or outside its licence.
    unlicensed: float = 0.01
    #: of single-leg cars: a second exporter declares the same VIN within 90 days.
    duplicate: float = 0.005
    #: of single-leg cars: the same exporter declares again (amendment; not a finding).
    amendment_decoy: float = 0.003
    #: of single-leg cars: another exporter declares again after 120-300 days (not a finding).
    late_redeclaration_decoy: float = 0.002
    reexport: float = REEXPORT_SHARE

    def as_dict(self) -> dict[str, Any]:
        """JSON-ready copy for ``world.json``."""
        return asdict(self)
