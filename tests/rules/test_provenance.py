"""Every rule and brand-list entry cites a public source and a date."""

from __future__ import annotations

from datetime import date

import yaml

from zeromile.provenance import Confidence
from zeromile.rules import Rulebook


def test_every_rule_cites_a_source_and_a_date(book: Rulebook) -> None:
    assert book.rules
    for rule in book.rules:
        prov = rule.provenance
        assert prov.sources, rule.id
        assert all(str(s).startswith(("http://", "https://")) for s in prov.sources), rule.id
        assert isinstance(prov.effective_from, date), rule.id
        assert prov.instrument.name, rule.id


def test_every_brand_list_entry_cites_a_source_and_a_date(book: Rulebook) -> None:
    for brand_list in book.brand_lists:
        for entry in brand_list.entries:
            assert entry.provenance.sources
            assert isinstance(entry.provenance.effective_from, date)


def test_low_confidence_rules_only_ask_for_review(book: Rulebook) -> None:
    for rule in book.rules:
        if rule.provenance.confidence is Confidence.L:
            assert rule.action == "review", rule.id
            assert rule.ambiguity, rule.id


def test_parallel_import_list_is_dated(book: Rulebook) -> None:
    (ru,) = [b for b in book.brand_lists if b.feature == "on_ru_parallel_import_list"]
    assert "TOYOTA" not in ru.members_on(date(2022, 5, 5))
    assert "TOYOTA" in ru.members_on(date(2022, 5, 6))
    assert "KIA" not in ru.members_on(date(2023, 3, 14))
    assert "KIA" in ru.members_on(date(2023, 3, 15))
    assert "ZEEKR" not in ru.members_on(date(2026, 1, 1))


def test_in_force_selects_by_date(book: Rulebook) -> None:
    before = {r.id for r in book.in_force(on=date(2023, 8, 8)).rules}
    on = {r.id for r in book.in_force(on=date(2023, 8, 9)).rules}
    assert on - before == {"JP-EXP-RU-ENGINE"}
    assert book.in_force(on=date(2023, 8, 9)).version == book.version


def test_version_is_a_content_hash(tmp_path: object, book: Rulebook) -> None:
    assert book.version.startswith("sha256:")
    assert Rulebook.load().version == book.version


def test_every_rule_file_entry_names_source_and_date_itself() -> None:
    """Checked on the raw files, so no default could ever supply a date or a source."""
    from zeromile.rules.loader import package_root

    root = package_root()
    seen = 0
    for folder in root.iterdir():
        if not folder.is_dir():
            continue
        for path in folder.iterdir():
            if not path.name.endswith(".yaml"):
                continue
            for rule in yaml.safe_load(path.read_text(encoding="utf-8"))["rules"]:
                seen += 1
                assert rule.get("effective_from"), (path.name, rule.get("id"))
                assert rule.get("sources"), (path.name, rule.get("id"))
                assert rule.get("instrument", {}).get("name"), (path.name, rule.get("id"))
    assert seen >= 20
