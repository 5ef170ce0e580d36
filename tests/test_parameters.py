"""Tests of the dated, sourced parameters (assistant/parameters.py and corpus/parameters/)."""

from __future__ import annotations

import shutil
from datetime import date
from pathlib import Path

import pytest
import yaml

from assistant import parameters
from assistant.parameters import BudgetLevel, ObjectType, ParameterError, constant, load_parameter, threshold

pytestmark = pytest.mark.unit

ROOT = Path(__file__).resolve().parents[1]
PARAMETERS_DIR = ROOT / "corpus" / "parameters"
ALL_FILES = sorted(PARAMETERS_DIR.rglob("*.yaml"))


def _ids(paths: list[Path]) -> list[str]:
    return [path.relative_to(PARAMETERS_DIR).as_posix() for path in paths]


class TestCompleteness:
    @pytest.mark.parametrize("path", ALL_FILES, ids=_ids(ALL_FILES))
    def test_every_parameter_file_has_description_unit_references_and_last_verified_on(self, path: Path):
        # One layout for every file: each dated value carries its references, verified and last_verified_on.
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        assert str(data.get("description", "")).strip(), "description"
        assert str(data.get("unit", "")).strip(), "unit"
        assert data.get("values"), "values"
        for start, value in data["values"].items():
            assert isinstance(start, date), f"values key {start!r} is not a date"
            assert value.get("reference"), f"values.{start}: reference"
            assert value.get("last_verified_on"), f"values.{start}: last_verified_on"
            assert "verified" in value, f"values.{start}: verified"

    @pytest.mark.parametrize("path", ALL_FILES, ids=_ids(ALL_FILES))
    def test_every_file_validates_and_every_reference_has_a_title(self, path: Path):
        parameter = load_parameter(path)
        for value in parameter.values.values():
            assert all(reference.title for reference in value.reference)
            if not value.verified:
                assert "未核实" in (value.note + "".join(reference.title + reference.clause for reference in value.reference))

    def test_threshold_files_are_in_yuan(self):
        for path in (PARAMETERS_DIR / "thresholds").glob("*.yaml"):
            assert load_parameter(path).unit == "元", path.name

    def test_only_the_central_figures_are_marked_verified(self):
        for path in (PARAMETERS_DIR / "thresholds").glob("*.yaml"):
            parameter = load_parameter(path)
            verified = {value.verified for value in parameter.values.values()}
            assert verified == {parameter.metadata.jurisdiction == "中央"}, path.name


class TestThreshold:
    @pytest.mark.parametrize(
        ("name", "level", "on", "expected"),
        [
            ("分散采购限额标准", BudgetLevel.中央, date(2020, 1, 1), 1_000_000),
            ("公开招标数额标准", BudgetLevel.中央, date(2020, 1, 1), 2_000_000),
            ("公开招标数额标准", BudgetLevel.中央, date(2026, 11, 29), 2_000_000),
            ("分散采购限额标准", BudgetLevel.设区的市级, date(2021, 1, 1), 1_000_000),
            ("公开招标数额标准", BudgetLevel.县级, date(2026, 11, 29), 4_000_000),
        ],
    )
    def test_selects_the_figure_in_force_on_the_date(self, name, level, on, expected):
        value = threshold(name, on=on, jurisdiction="浙江省", level=level, object_type=ObjectType.服务, parameters_dir=PARAMETERS_DIR)
        assert value is not None and value.value_yuan == expected

    def test_changing_the_date_selects_the_edition(self):
        def edition(on: date) -> date:
            value = threshold(
                "公开招标数额标准", on=on, jurisdiction="浙江省", level=BudgetLevel.设区的市级,
                object_type=ObjectType.货物, parameters_dir=PARAMETERS_DIR,
            )  # fmt: skip
            assert value is not None
            return value.effective_from

        assert edition(date(2022, 12, 31)) == date(2021, 1, 1)
        assert edition(date(2023, 1, 1)) == date(2023, 1, 1)

    @pytest.mark.parametrize(
        ("level", "on"),
        [(BudgetLevel.中央, date(2019, 12, 31)), (BudgetLevel.设区的市级, date(2020, 12, 31)), (BudgetLevel.县级, date(2014, 9, 23))],
    )
    def test_a_date_before_the_first_value_is_unknown(self, level, on):
        assert threshold("分散采购限额标准", on=on, jurisdiction="浙江省", level=level, object_type=ObjectType.服务, parameters_dir=PARAMETERS_DIR) is None

    def test_an_unrecorded_jurisdiction_or_object_type_is_unknown(self):
        on = date(2026, 11, 29)
        common = {"on": on, "level": BudgetLevel.设区的市级, "parameters_dir": PARAMETERS_DIR}
        assert threshold("公开招标数额标准", jurisdiction="河南省", object_type=ObjectType.服务, **common) is None
        assert threshold("公开招标数额标准", jurisdiction="浙江省", object_type=ObjectType.工程, **common) is None

    def test_central_units_use_central_figures_whatever_the_jurisdiction(self):
        value = threshold("公开招标数额标准", on=date(2026, 11, 29), jurisdiction="浙江省", level=BudgetLevel.中央, object_type=ObjectType.服务, parameters_dir=PARAMETERS_DIR)
        assert value is not None and value.jurisdiction == "中央" and value.verified

    def test_unverified_value_carries_what_to_confirm_it_with(self):
        value = threshold("分散采购限额标准", on=date(2026, 11, 29), jurisdiction="浙江省", level=BudgetLevel.县级, object_type=ObjectType.服务, parameters_dir=PARAMETERS_DIR)
        assert value is not None and not value.verified
        assert "浙江省政府集中采购目录及标准" in value.confirm_with
        assert value.references and value.source_file == "thresholds/zhejiang_decentralised_quota_goods_services.yaml"

    def test_the_shipped_directory_is_the_default(self):
        assert parameters.DEFAULT_PARAMETERS_DIR == PARAMETERS_DIR


class TestConstant:
    def test_reads_the_rule_constants(self):
        on = date(2026, 11, 29)
        assert constant("procurement/single_source_additional_purchase_ratio", on=on, parameters_dir=PARAMETERS_DIR).value == 0.1
        days = constant("procurement/single_source_publicity_working_days", on=on, parameters_dir=PARAMETERS_DIR)
        assert days.value == 5 and days.unit == "工作日"

    def test_constant_is_unknown_before_its_first_date(self):
        assert constant("procurement/single_source_publicity_working_days", on=date(2015, 2, 28), parameters_dir=PARAMETERS_DIR) is None
        assert constant("procurement/single_source_publicity_working_days", on=date(2015, 3, 1), parameters_dir=PARAMETERS_DIR) is not None

    def test_missing_constant_file_names_the_file(self):
        with pytest.raises(ParameterError, match="no_such_constant.yaml"):
            constant("procurement/no_such_constant", on=date(2026, 1, 1), parameters_dir=PARAMETERS_DIR)


class TestMalformedFiles:
    @pytest.fixture
    def parameters_copy(self, tmp_path: Path) -> Path:
        target = tmp_path / "parameters"
        shutil.copytree(PARAMETERS_DIR / "thresholds", target / "thresholds")
        shutil.copytree(PARAMETERS_DIR / "procurement", target / "procurement")
        return target

    def _threshold(self, parameters_dir: Path):
        return threshold("分散采购限额标准", on=date(2026, 11, 29), jurisdiction="浙江省", level=BudgetLevel.县级, object_type=ObjectType.服务, parameters_dir=parameters_dir)

    def test_a_missing_key_names_the_file_and_the_key(self, parameters_copy: Path):
        path = parameters_copy / "thresholds" / "zhejiang_decentralised_quota_goods_services.yaml"
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        del data["values"][date(2023, 1, 1)]["last_verified_on"]
        path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
        with pytest.raises(ParameterError, match=r"zhejiang_decentralised_quota_goods_services\.yaml.*values\.2023-01-01\.last_verified_on"):
            self._threshold(parameters_copy)

    def test_a_wrong_type_names_the_file_and_the_key(self, parameters_copy: Path):
        path = parameters_copy / "thresholds" / "central_open_tender_goods_services.yaml"
        text = path.read_text(encoding="utf-8").replace("value: 2000000", "value: 两百万")
        path.write_text(text, encoding="utf-8")
        with pytest.raises(ParameterError, match=r"central_open_tender_goods_services\.yaml.*value"):
            self._threshold(parameters_copy)

    def test_invalid_yaml_names_the_file(self, parameters_copy: Path):
        path = parameters_copy / "thresholds" / "broken.yaml"
        path.write_text("name: [unclosed\n", encoding="utf-8")
        with pytest.raises(ParameterError, match=r"broken\.yaml"):
            self._threshold(parameters_copy)

    def test_a_non_yuan_threshold_is_rejected(self, parameters_copy: Path):
        path = parameters_copy / "thresholds" / "zhejiang_decentralised_quota_goods_services.yaml"
        path.write_text(path.read_text(encoding="utf-8").replace("unit: 元", "unit: 万元"), encoding="utf-8")
        with pytest.raises(ParameterError, match="unit"):
            self._threshold(parameters_copy)

    def test_two_files_for_the_same_threshold_are_rejected(self, parameters_copy: Path):
        source = parameters_copy / "thresholds" / "zhejiang_decentralised_quota_goods_services.yaml"
        shutil.copy(source, parameters_copy / "thresholds" / "copy.yaml")
        with pytest.raises(ParameterError, match="duplicate"):
            self._threshold(parameters_copy)

    def test_a_missing_directory_is_reported(self, tmp_path: Path):
        with pytest.raises(ParameterError, match="not found"):
            self._threshold(tmp_path / "nowhere")


def test_threshold_coverage_reports_first_dates_and_verification():
    coverage = parameters.threshold_coverage(parameters_dir=PARAMETERS_DIR)
    assert coverage["中央"] == (date(2020, 1, 1), True)
    assert coverage["浙江省"] == (date(2021, 1, 1), False)


def test_an_edited_parameter_file_is_seen_once_the_directory_is_checked_again(tmp_path: Path, monkeypatch):
    from assistant import parameters

    target = tmp_path / "parameters"
    shutil.copytree(PARAMETERS_DIR / "thresholds", target / "thresholds")

    def quota() -> float:
        found = threshold("分散采购限额标准", on=date(2026, 11, 29), jurisdiction="浙江省", level=BudgetLevel.县级, object_type=ObjectType.服务, parameters_dir=target)
        assert found is not None
        return found.value_yuan

    assert quota() == 1_000_000
    path = target / "thresholds" / "zhejiang_decentralised_quota_goods_services.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("value: 1000000", "value: 1200000"), encoding="utf-8")
    assert quota() == 1_000_000  # within RECHECK_SECONDS the listing is reused: many readings of one decision
    monkeypatch.setattr(parameters, "RECHECK_SECONDS", 0.0)
    assert quota() == 1_200_000
