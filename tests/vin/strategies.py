"""Hypothesis strategies for VINs and near-VINs."""

from __future__ import annotations

from hypothesis import strategies as st

from zeromile.vin.checkdigit import with_check_digit
from zeromile.vin.syntax import VIN_ALPHABET

#: Real WMIs of the export flows plus a few unknown ones, so decoding paths are all hit.
WMIS = (
    "LRW", "LGX", "LC0", "LB3", "LNB", "LPE", "LPS", "LGW", "LSJ", "LFV", "LVV", "LS5",
    "KMH", "KMT", "KNA", "JTD", "JHM", "JN1", "JM1", "JF1", "1FT", "1C4", "5YJ", "WDD",
    "WVW", "VF1", "XTA", "ZZZ", "L99", "9ZZ",
)  # fmt: skip

vin_chars = st.sampled_from(VIN_ALPHABET)
bodies = st.text(vin_chars, min_size=14, max_size=14)


@st.composite
def valid_vins(draw: st.DrawFn) -> str:
    """Syntactically valid VINs with a correct check digit."""
    wmi = draw(st.one_of(st.sampled_from(WMIS), st.text(vin_chars, min_size=3, max_size=3)))
    return with_check_digit(wmi + draw(bodies))


@st.composite
def raw_vins(draw: st.DrawFn) -> str:
    """Any 17 VIN characters: the check digit is right by chance only."""
    return draw(st.sampled_from(WMIS)) + draw(bodies)


near_vins = st.text(st.sampled_from(VIN_ALPHABET + "IOQ-ioq abz*é"), min_size=0, max_size=19)
jp_chassis = st.from_regex(r"\A[A-Z][A-Z0-9]{1,6}-[0-9]{4,8}\Z")

declared_makes = st.one_of(
    st.none(),
    st.sampled_from(
        ["Tesla", "BYD", "byd auto", "Geely", "Hyundai", "Genesis", "Kia", "Toyota",
         "Mercedes", "mercedes-benz", "VW", "Volkswagen", "Audi", "Ford", "Jeep", "", "  ",
         "Haval", "Zeekr", "Unknown Make"]
    ),
)  # fmt: skip
declared_years = st.one_of(st.none(), st.integers(min_value=1975, max_value=2045))
countries = st.one_of(st.none(), st.sampled_from(["JP", "jp", " JP ", "CN", "RU", "KG"]))
