"""Tests of assistant.catalog: loading (YAML/CSV/XLSX), validation errors, matching, atomic import."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from assistant.catalog import Catalog, CatalogError, CatalogItem, import_file

pytestmark = pytest.mark.unit

ROOT = Path(__file__).resolve().parent.parent
DEFAULT = ROOT / "corpus" / "catalog" / "default.yaml"

HEADER = "code,category_path,item,description,examples,source\n"
GOOD_CSV = (
    HEADER
    + "X01.01,基本公共服务/养老服务,社区居家养老服务,上门照料,上门助餐|助浴|日间照料,测试\n"
    + "X02.01,政府履职所需辅助性事项/会议与活动,会议服务,,会务服务；会场布置,测试\n"
)


@pytest.fixture(scope="module")
def catalog() -> Catalog:
    return Catalog.load(DEFAULT)


def _write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


class TestLoad:
    def test_default_catalog_loads_with_unique_codes_and_an_illustrative_source(self, catalog: Catalog) -> None:
        # the shipped default must say on every item that it is not Wenzhou's official catalog
        assert 60 <= len(catalog) <= 90
        assert len({item.code for item in catalog.items}) == len(catalog)
        assert all("非温州市官方指导目录" in item.source for item in catalog.items)
        assert all(len(item.category_path) == 2 for item in catalog.items)

    def test_default_catalog_covers_every_field_the_seed_policy_names(self, catalog: Catalog) -> None:
        fields = "教育 就业 农业 社会保障 社会服务 医疗卫生 住房保障 计划生育 文化 体育 残疾人服务 公益性岗位 软件研发 系统维护 咨询评估 会计审计"
        sources = "\n".join(item.source for item in catalog.items)
        for field in fields.split():
            assert field in sources, field

    def test_csv_loads_paths_and_examples(self, tmp_path: Path) -> None:
        loaded = Catalog.load(_write(tmp_path / "c.csv", GOOD_CSV))
        assert [item.code for item in loaded.items] == ["X01.01", "X02.01"]
        assert loaded.items[0].category_path == ("基本公共服务", "养老服务")
        assert loaded.items[0].examples == ("上门助餐", "助浴", "日间照料")
        assert loaded.items[1].examples == ("会务服务", "会场布置")

    def test_xlsx_loads_like_csv(self, tmp_path: Path) -> None:
        from openpyxl import Workbook

        workbook = Workbook()
        sheet = workbook.active
        for line in GOOD_CSV.strip().split("\n"):
            sheet.append(line.split(","))
        workbook.save(tmp_path / "c.xlsx")
        assert Catalog.load(tmp_path / "c.xlsx").items == Catalog.load(_write(tmp_path / "c.csv", GOOD_CSV)).items

    def test_bad_csv_row_names_file_row_and_column(self, tmp_path: Path) -> None:
        path = _write(tmp_path / "bad.csv", HEADER + "X01.01,A/B,好条目,,,测试\nX01.02,A/B,,,,测试\n")
        with pytest.raises(CatalogError, match=r"bad\.csv: 第3行，列“item”.*row 3, column 'item'"):
            Catalog.load(path)

    def test_missing_required_column_is_reported(self, tmp_path: Path) -> None:
        path = _write(tmp_path / "nosource.csv", "code,category_path,item\nX1,A/B,条目\n")
        with pytest.raises(CatalogError, match=r"缺少必需列：source.*missing required columns \['source'\]"):
            Catalog.load(path)

    def test_unknown_column_is_rejected(self, tmp_path: Path) -> None:
        path = _write(tmp_path / "extra.csv", "code,category_path,item,source,price\nX1,A/B,条目,测试,3\n")
        with pytest.raises(CatalogError, match=r"未知列：price"):
            Catalog.load(path)

    @pytest.mark.parametrize("name", ["catalog.json", "catalog.txt", "catalog"])
    def test_wrong_file_type_is_rejected(self, tmp_path: Path, name: str) -> None:
        path = _write(tmp_path / name, "[]")
        with pytest.raises(CatalogError, match=r"不支持的目录文件类型.*unsupported catalog file type"):
            Catalog.load(path)

    def test_yaml_item_with_unknown_key_names_item_and_column(self, tmp_path: Path) -> None:
        path = _write(tmp_path / "c.yaml", "- {code: X1, category_path: [A, B], item: 条目, source: 测试, price: 3}\n")
        with pytest.raises(CatalogError, match=r"第1项，列“price”：不允许的列（item 1, column 'price'"):
            Catalog.load(path)

    def test_yaml_that_is_not_a_list_is_rejected(self, tmp_path: Path) -> None:
        with pytest.raises(CatalogError, match="top level must be a list"):
            Catalog.load(_write(tmp_path / "c.yaml", "code: X1\n"))

    def test_duplicate_codes_are_rejected(self, tmp_path: Path) -> None:
        path = _write(tmp_path / "dup.csv", HEADER + "X1,A/B,甲,,,测试\nX1,A/B,乙,,,测试\n")
        with pytest.raises(CatalogError, match=r"第2项，列“code”.*duplicate code 'X1'"):
            Catalog.load(path)

    def test_empty_file_is_rejected(self, tmp_path: Path) -> None:
        with pytest.raises(CatalogError, match="empty file"):
            Catalog.load(_write(tmp_path / "empty.csv", ""))

    def test_missing_file_is_reported(self, tmp_path: Path) -> None:
        with pytest.raises(CatalogError, match="not found"):
            Catalog.load(tmp_path / "absent.yaml")

    def test_min_score_is_validated(self) -> None:
        item = CatalogItem(code="X", category_path=("A",), item="条目", source="测试")
        with pytest.raises(CatalogError, match="min_score must be in"):
            Catalog([item], min_score=0)


class TestMatch:
    @pytest.mark.parametrize(
        ("description", "code"),
        [
            ("我们是区民政局，想买社区养老上门服务，能买吗？", "A05.01"),
            ("上门助餐", "A05.01"),
            ("居家养老服物", "A05.01"),  # typo 服物
            ("法律援助", "B03.01"),
            ("会议服务", "E06.01"),
            ("物业管理", "E07.01"),
            ("審計服務", "E04.02"),  # traditional characters
            ("家庭医生签约服务", "A06.02"),
            ("学生课后托管", "A01.02"),
            ("软件开发", "D06.01"),
        ],
    )
    def test_description_matches_the_expected_item(self, catalog: Catalog, description: str, code: str) -> None:
        match = catalog.match(description)
        assert match is not None and match.item.code == code, catalog.rank(description, top_k=3)
        assert 0 < match.score <= 1 and match.matched_terms

    @pytest.mark.parametrize("description", ["", "   ", "买点东西", "能买吗", "为企业做市场推广", "我们是区教育局"])
    def test_vague_or_unrelated_descriptions_do_not_match(self, catalog: Catalog, description: str) -> None:
        assert catalog.match(description) is None

    def test_matching_is_deterministic(self, catalog: Catalog) -> None:
        first = catalog.rank("养老服务", top_k=5)
        assert first == catalog.rank("养老服务", top_k=5)
        scores = [m.score for m in first]
        assert scores == sorted(scores, reverse=True)

    def test_rank_rejects_a_non_positive_top_k(self, catalog: Catalog) -> None:
        with pytest.raises(ValueError, match="top_k must be > 0, got 0"):
            catalog.rank("养老", top_k=0)


class TestImport:
    def test_import_writes_a_yaml_catalog_that_loads_back(self, tmp_path: Path) -> None:
        dest = tmp_path / "catalog" / "wenzhou.yaml"
        imported = import_file(_write(tmp_path / "src.csv", GOOD_CSV), dest)
        assert Catalog.load(dest).items == imported.items
        assert imported.source == dest

    def test_a_bad_file_leaves_the_old_catalog_untouched(self, tmp_path: Path) -> None:
        dest = _write(tmp_path / "current.yaml", DEFAULT.read_text(encoding="utf-8"))
        before = dest.read_bytes()
        bad = _write(tmp_path / "bad.csv", HEADER + "X1,A/B,,,,测试\n")
        with pytest.raises(CatalogError, match="第2行"):
            import_file(bad, dest)
        assert dest.read_bytes() == before
        assert sorted(p.name for p in tmp_path.iterdir()) == ["bad.csv", "current.yaml"]

    def test_a_failure_while_replacing_leaves_the_old_catalog_and_no_temp_file(self, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
        dest = _write(tmp_path / "current.yaml", "old")
        src = _write(tmp_path / "src.csv", GOOD_CSV)

        def broken_replace(*args: object) -> None:
            raise OSError("disk full")

        monkeypatch.setattr(os, "replace", broken_replace)
        with pytest.raises(OSError, match="disk full"):
            import_file(src, dest)
        assert dest.read_text(encoding="utf-8") == "old"
        assert sorted(p.name for p in tmp_path.iterdir()) == ["current.yaml", "src.csv"]

    def test_import_refuses_a_non_yaml_destination(self, tmp_path: Path) -> None:
        with pytest.raises(CatalogError, match="must be a .yaml file"):
            import_file(_write(tmp_path / "src.csv", GOOD_CSV), tmp_path / "out.csv")


@pytest.mark.parametrize(
    "description",
    ["社区居家养老上门助餐", "物业管理服务", "课题研究", "残疾人康复服务", "给辖区老人送餐", "法律顾问", "Ａ类服务", "", "   ", "x", "公园绿化养护及保洁"],
)
def test_the_fast_match_is_the_full_rankings_first_above_the_threshold(description):
    catalog = Catalog.load(DEFAULT)
    ranked = catalog.rank(description, top_k=1)
    expected = ranked[0] if ranked and ranked[0].score >= catalog.min_score else None
    assert catalog.match(description) == expected
