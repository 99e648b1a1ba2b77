"""Makes, models and manufacturer identifiers the synthetic world draws from.

WMIs are real assignments (SAE/ISO 3780 as listed by the ``vininfo``
package's WMI table, brand names normalised); engine sizes, power and list
prices are typical published figures of each model, rounded. Japanese
domestic cars carry chassis numbers (model code, a hyphen, a serial), not
17-character VINs, so each Japanese model also has its model code.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Model:
    """One make/model variant with its identifier prefix and list price."""

    origin: str
    wmi: str
    make: str
    model: str
    fuel: str
    engine_cc: int  # 0 when the car has no combustion engine
    power_kw: int
    body: str
    msrp: int  # in the origin's currency
    chassis_code: str = ""  # Japanese model code, e.g. "ZVW30"
    weight: float = 1.0


_CN = "CN"
_KR = "KR"
_JP = "JP"

MODELS: tuple[Model, ...] = (
    # China (CNY); fuel weights are set in calibration, weights here split within a fuel
    Model(_CN, "LGX", "BYD", "Song Plus DM-i", "phev", 1498, 81, "passenger", 155000, weight=3),
    Model(_CN, "LGX", "BYD", "Qin Plus DM-i", "phev", 1498, 81, "passenger", 100000, weight=2),
    Model(_CN, "LGX", "BYD", "Han EV", "bev", 0, 180, "passenger", 210000),
    Model(_CN, "LGX", "BYD", "Yuan Plus", "bev", 0, 150, "passenger", 135000, weight=2),
    Model(_CN, "LGX", "BYD", "Seal", "bev", 0, 230, "passenger", 180000),
    Model(_CN, "LRW", "Tesla", "Model Y", "bev", 0, 220, "passenger", 250000, weight=2),
    Model(_CN, "LRW", "Tesla", "Model 3", "bev", 0, 194, "passenger", 230000),
    Model(_CN, "LSJ", "MG", "MG4", "bev", 0, 125, "passenger", 140000),
    Model(_CN, "LSV", "Volkswagen", "ID.4 X", "bev", 0, 150, "passenger", 200000),
    Model(_CN, "LZW", "Wuling", "Hongguang Mini EV", "bev", 0, 20, "passenger", 40000),
    Model(_CN, "L6T", "Geely", "Coolray", "petrol", 1477, 133, "passenger", 90000, weight=2),
    Model(_CN, "L6T", "Geely", "Monjaro", "petrol", 1969, 175, "passenger", 150000, weight=2),
    Model(_CN, "LVV", "Chery", "Tiggo 7 Pro", "petrol", 1598, 145, "passenger", 110000, weight=2),
    Model(_CN, "LVV", "Chery", "Tiggo 8 Pro", "petrol", 1998, 187, "passenger", 140000, weight=2),
    Model(_CN, "LGW", "Great Wall", "Haval H6", "petrol", 1497, 135, "passenger", 110000, weight=2),
    Model(_CN, "LGW", "Great Wall", "Tank 300", "petrol", 1967, 167, "passenger", 200000),
    Model(_CN, "LSJ", "MG", "ZS", "petrol", 1498, 88, "passenger", 80000),
    Model(_CN, "LFV", "Volkswagen", "Sagitar", "petrol", 1395, 110, "passenger", 130000),
    Model(_CN, "LSV", "Volkswagen", "Lavida", "petrol", 1498, 83, "passenger", 110000),
    Model(_CN, "LVR", "Mazda", "CX-5", "petrol", 1998, 114, "passenger", 170000),
    Model(_CN, "LGB", "Nissan", "Sylphy", "petrol", 1598, 99, "passenger", 110000),
    Model(_CN, "LVH", "Honda", "CR-V", "petrol", 1498, 142, "passenger", 180000),
    Model(_CN, "LVG", "Toyota", "Camry", "petrol", 1987, 130, "passenger", 180000),
    Model(_CN, "LVG", "Toyota", "Camry HEV", "hev", 2487, 160, "passenger", 200000),
    Model(_CN, "LHG", "Honda", "Accord e:HEV", "hev", 1993, 135, "passenger", 200000),
    Model(_CN, "LZG", "Shacman", "X3000", "diesel", 11596, 316, "commercial", 350000, weight=0.5),
    Model(_CN, "LZY", "Yutong", "ZK6122", "diesel", 8900, 247, "commercial", 900000, weight=0.2),
    # South Korea (KRW)
    Model(_KR, "KMH", "Hyundai", "Avante", "petrol", 1598, 90, "passenger", 20000000, weight=3),
    Model(_KR, "KMH", "Hyundai", "Sonata", "petrol", 1999, 118, "passenger", 28000000, weight=2),
    Model(_KR, "KMH", "Hyundai", "Sonata LPi", "lpg", 1999, 108, "passenger", 26000000),
    Model(_KR, "KMH", "Hyundai", "Tucson", "petrol", 1598, 132, "passenger", 27000000, weight=2),
    Model(_KR, "KMH", "Hyundai", "Santa Fe", "diesel", 2199, 148, "passenger", 33000000, weight=2),
    Model(_KR, "KMH", "Hyundai", "Grandeur", "petrol", 2497, 145, "passenger", 37000000),
    Model(_KR, "KMH", "Hyundai", "Ioniq 5", "bev", 0, 160, "passenger", 50000000, weight=0.5),
    Model(_KR, "KMH", "Hyundai", "Porter II", "diesel", 2497, 98, "commercial", 19000000, weight=2),
    Model(_KR, "KNA", "Kia", "Morning", "petrol", 998, 56, "passenger", 12000000, weight=2),
    Model(_KR, "KNA", "Kia", "K5", "petrol", 1999, 118, "passenger", 27000000, weight=2),
    Model(_KR, "KNA", "Kia", "Sportage", "diesel", 1995, 137, "passenger", 28000000, weight=2),
    Model(_KR, "KNA", "Kia", "Sorento", "diesel", 2151, 148, "passenger", 35000000),
    Model(_KR, "KNA", "Kia", "Carnival", "diesel", 2151, 148, "passenger", 36000000),
    Model(_KR, "KNA", "Kia", "Niro HEV", "hev", 1580, 77, "passenger", 28000000, weight=0.5),
    Model(_KR, "KMT", "Genesis", "G80", "petrol", 2497, 224, "passenger", 55000000, weight=0.5),
    Model(_KR, "KPT", "SsangYong", "Rexton", "diesel", 2157, 149, "passenger", 37000000),
    Model(_KR, "KPT", "SsangYong", "Tivoli", "petrol", 1497, 120, "passenger", 19000000),
    Model(_KR, "KNM", "Renault Samsung", "QM6 LPe", "lpg", 1998, 103, "passenger", 28000000),
    Model(_KR, "KL1", "Chevrolet", "Spark", "petrol", 999, 56, "passenger", 10000000),
    # Japan (JPY); chassis codes are the maker's model codes
    Model(_JP, "JTD", "Toyota", "Prius", "hev", 1797, 73, "passenger", 2600000, "ZVW30", 3),
    Model(_JP, "JTD", "Toyota", "Aqua", "hev", 1496, 54, "passenger", 1900000, "NHP10", 3),
    Model(_JP, "JTD", "Toyota", "Corolla Fielder", "petrol", 1496, 80, "passenger", 1700000,
          "NZE161", 2),
    Model(_JP, "JTD", "Toyota", "Vitz", "petrol", 996, 51, "passenger", 1300000, "KSP130", 2),
    Model(_JP, "JTE", "Toyota", "Land Cruiser Prado", "petrol", 2693, 120, "passenger", 4200000,
          "TRJ150", 1),
    Model(_JP, "JTE", "Toyota", "Land Cruiser", "petrol", 4608, 234, "passenger", 6800000,
          "URJ202", 0.7),
    Model(_JP, "JTD", "Toyota", "Harrier", "petrol", 1986, 111, "passenger", 3000000, "ZSU60", 1),
    Model(_JP, "JTD", "Toyota", "Alphard", "petrol", 2493, 134, "passenger", 4500000, "AGH30", 1),
    Model(_JP, "JTF", "Toyota", "Hiace", "diesel", 2982, 100, "commercial", 3300000, "KDH201", 1.5),
    Model(_JP, "JN1", "Nissan", "Note", "petrol", 1198, 58, "passenger", 1600000, "E12", 2),
    Model(_JP, "JN1", "Nissan", "X-Trail", "petrol", 1997, 108, "passenger", 2800000, "NT32", 1),
    Model(_JP, "JN1", "Nissan", "Leaf", "bev", 0, 110, "passenger", 3700000, "ZE1", 0.5),
    Model(_JP, "JHM", "Honda", "Fit", "petrol", 1317, 73, "passenger", 1500000, "GK3", 2),
    Model(_JP, "JHM", "Honda", "Fit Hybrid", "hev", 1496, 81, "passenger", 1800000, "GP5", 1.5),
    Model(_JP, "JHM", "Honda", "Vezel", "petrol", 1496, 96, "passenger", 2100000, "RU1", 1.5),
    Model(_JP, "JMZ", "Mazda", "Demio", "diesel", 1498, 77, "passenger", 1800000, "DJ5FS", 1),
    Model(_JP, "JMZ", "Mazda", "CX-5", "diesel", 2188, 129, "passenger", 2900000, "KF2P", 1),
    Model(_JP, "JS3", "Suzuki", "Alto", "petrol", 658, 38, "passenger", 900000, "HA36S", 1),
    Model(_JP, "JS3", "Suzuki", "Jimny", "petrol", 658, 47, "passenger", 1600000, "JB64W", 0.5),
    Model(_JP, "JMB", "Mitsubishi", "Delica D:5", "diesel", 2267, 107, "passenger", 4000000,
          "CV1W", 0.7),
    Model(_JP, "JF1", "Subaru", "Impreza", "petrol", 1599, 85, "passenger", 2000000, "GT2", 1),
    Model(_JP, "JF1", "Subaru", "Forester", "petrol", 2498, 136, "passenger", 2900000, "SK9", 1),
)  # fmt: skip

#: The make each WMI in :data:`MODELS` stands for (one make per WMI).
WMI_MAKES: dict[str, str] = {m.wmi: m.make for m in MODELS}

#: ISO 4217 currency of each origin's list prices.
MSRP_CURRENCY: dict[str, str] = {"CN": "CNY", "KR": "KRW", "JP": "JPY"}
