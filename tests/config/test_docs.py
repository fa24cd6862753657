"""docs/config.md: its YAML examples load, and give what the page says they give.

Each ```yaml block of the page is made of files introduced by a comment line
``# conf/<env>/<file>``; a test writes the files of one or more blocks into a
temporary ``conf`` folder and reads them with the loader, as a project would.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest

from ordino.config import OmegaConfigLoader, flatten_parameters

PAGE = Path(__file__).resolve().parents[2] / "docs" / "config.md"
_BLOCK = re.compile(r"```yaml\n(.*?)```", re.S)
_FILE_HEADER = re.compile(r"^# (conf/\S+)\s*$", re.M)


def _blocks() -> list[dict[str, str]]:
    """Every yaml block of the page as {path under conf/: text}."""
    blocks = []
    for body in _BLOCK.findall(PAGE.read_text(encoding="utf-8")):
        parts = _FILE_HEADER.split(body)
        assert not parts[0].strip(), (
            f"a yaml block must start with '# conf/...':\n{body}"
        )
        blocks.append(
            {
                path.removeprefix("conf/"): text
                for path, text in zip(parts[1::2], parts[2::2])
            }
        )
    return blocks


def _block_with(*needles: str) -> dict[str, str]:
    found = [
        b for b in _blocks() if all(any(n in t for t in b.values()) for n in needles)
    ]
    assert len(found) == 1, (
        f"expected one yaml block with {needles}, found {len(found)}"
    )
    return found[0]


def _loader(
    tmp_path: Path, *blocks: dict[str, str], **kwargs: Any
) -> OmegaConfigLoader:
    conf = tmp_path / "conf"
    for env in ("base", "local"):
        (conf / env).mkdir(parents=True, exist_ok=True)
    for block in blocks:
        for relative, text in block.items():
            path = conf / relative
            path.parent.mkdir(parents=True, exist_ok=True)
            with path.open("a", encoding="utf-8") as stream:
                stream.write(text)
    kwargs.setdefault("base_env", "base")
    kwargs.setdefault("default_run_env", "local")
    return OmegaConfigLoader(str(conf), **kwargs)


def test_every_yaml_block_names_its_files() -> None:
    blocks = _blocks()
    assert len(blocks) >= 7
    envs = {path.split("/")[0] for block in blocks for path in block}
    assert envs == {"base", "local", "prod"}


@pytest.mark.parametrize(
    ("strategy", "expected"),
    [
        (None, {"model": {"layers": [2]}}),
        ({"parameters": "soft"}, {"model": {"rate": 0.1, "layers": [2]}}),
    ],
)
def test_the_merge_table(tmp_path: Path, strategy: Any, expected: Any) -> None:
    loader = _loader(tmp_path, _block_with("layers: [2]"), merge_strategy=strategy)
    assert loader["parameters"] == expected


def test_the_interpolation_example(tmp_path: Path) -> None:
    catalog = _loader(tmp_path, _block_with("_raw: data/01_raw"))["catalog"]
    assert set(catalog) == {"companies", "shuttles"}  # "_" templates are not returned
    assert catalog["companies"]["filepath"] == "data/01_raw/companies.csv"
    assert catalog["companies"]["load_args"] == {"sep": ",", "encoding": "utf-8"}
    assert catalog["shuttles"]["metadata"] == {
        "source": "data/01_raw/companies.csv",
        "kind": "pandas.ExcelDataset",
    }


@pytest.mark.parametrize(("env", "bucket"), [("local", "dev"), ("prod", "prod")])
def test_the_globals_example(tmp_path: Path, env: str, bucket: str) -> None:
    globals_block = _block_with("bucket: prod-bucket")
    catalog_block = _block_with("${globals:bucket}")
    (tmp_path / "conf" / "prod").mkdir(parents=True)
    loader = _loader(tmp_path, globals_block, catalog_block, env=env)
    assert loader["catalog"]["companies"] == {
        "type": "pandas.CSVDataset",
        "filepath": f"s3://{bucket}-bucket/companies.csv",
        "versioned": False,
    }


@pytest.mark.parametrize(
    ("runtime", "expected"),
    [
        (None, "data/sales/latest.csv"),
        ({"run_date": "2024-01-31"}, "data/sales/2024-01-31.csv"),
    ],
)
def test_the_runtime_params_example(
    tmp_path: Path, runtime: Any, expected: str
) -> None:
    loader = _loader(
        tmp_path, _block_with("${runtime_params:run_date"), runtime_params=runtime
    )
    assert loader["catalog"]["daily_sales"]["filepath"] == expected


def test_the_environment_variable_example(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("DB_USER", "ana")
    monkeypatch.setenv("DB_PASSWORD", "s3cret")
    credentials = _loader(tmp_path, _block_with("${oc.env:DB_USER}"))["credentials"]
    assert credentials == {
        "warehouse": {"con": "postgresql://ana:s3cret@db:5432/sales"}
    }


def test_the_custom_resolver_example(tmp_path: Path) -> None:
    resolvers = {
        "add": lambda *numbers: sum(numbers),
        "polars": lambda name: f"pl.{name}",
    }
    loader = _loader(tmp_path, _block_with("${add:10, 5}"), custom_resolvers=resolvers)
    assert loader["parameters"] == {"total_epochs": 15, "schema": {"id": "pl.Int64"}}


def test_the_flatten_parameters_example() -> None:
    assert flatten_parameters({"model": {"rate": 0.1, "layers": [8, 4]}}) == {
        "parameters": {"model": {"rate": 0.1, "layers": [8, 4]}},
        "params:model": {"rate": 0.1, "layers": [8, 4]},
        "params:model.rate": 0.1,
        "params:model.layers": [8, 4],
    }
