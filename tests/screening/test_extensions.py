"""The screening with its standard extensions: rulebook and duties."""

from __future__ import annotations

import pytest

from tests.builders import TOYOTA_VIN, declaration, vehicle, write_dossier
from zeromile.screening import screen_dossier


@pytest.mark.parametrize(("arrival", "amount"), [("2025-09-15", 8250.0), ("2025-09-16", 4500.0)])
def test_japanese_car_entering_the_us_pays_the_rate_in_force_on_arrival(
    tmp_path, arrival, amount
) -> None:
    folder = write_dossier(
        tmp_path,
        declarations=[
            declaration(
                vin=TOYOTA_VIN,
                origin="JP",
                destination="US",
                declaration_date="2025-08-20",
                arrival_date=arrival,
                declared_value="30000",
                currency="USD",
                declared_odometer_km="42000",
            )
        ],
        vehicles=[
            vehicle(
                vin=TOYOTA_VIN,
                make="Toyota",
                model="Prius",
                model_year="2020",
                engine_cc="2500",
                built_in="JP",
            )
        ],
    )
    row = screen_dossier(folder).decisions.to_pylist()[0]
    # 2.5% MFN + 25% Section 232 before the US-Japan deal; 15% all-in from 2025-09-16.
    assert row["duty_amount"] == pytest.approx(amount)
    assert row["duty_currency"] == "USD"
    assert row["rulebook_version"].startswith("sha256:")
    assert row["schedules_version"]


def test_declared_hs_code_contradicting_the_engine_is_flagged(tmp_path) -> None:
    folder = write_dossier(
        tmp_path,
        declarations=[declaration(hs_code="8703.80")],  # electric only, but the car is petrol
        vehicles=[vehicle()],
    )
    row = screen_dossier(folder).decisions.to_pylist()[0]
    assert "HS_CODE_MISMATCH" in row["findings"].split(";")
