"""Bad configuration gets one clear message naming the file, line and key."""

from __future__ import annotations

import logging
import pickle
import traceback

import pytest

from ordino.config import BadConfigException, MissingConfigException, OmegaConfigLoader
from ordino.errors import OrdinoError

SECRET = "s3cr3t-Hunter2-value"


def project_loader(conf: str, **kwargs: object) -> OmegaConfigLoader:
    return OmegaConfigLoader(
        conf,
        base_env="base",
        default_run_env="local",
        **kwargs,  # type: ignore[arg-type]
    )


def test_invalid_yaml_names_file_line_and_column(write, conf):
    path = write("base/catalog.yml", "cars:\n  type: x\n  filepath: [unclosed\n")
    with pytest.raises(
        BadConfigException, match=r"invalid YAML at line \d+, column \d+"
    ):
        project_loader(conf)["catalog"]
    with pytest.raises(BadConfigException) as err:
        project_loader(conf)["catalog"]
    assert str(path) in str(err.value)
    assert err.value.line is not None
    assert err.value.column is not None


def test_bad_indentation_reports_its_line(write, conf):
    write("base/parameters.yml", "a: 1\nb:\n  c: 2\n d: 3\n")
    with pytest.raises(BadConfigException, match=r"parameters.yml: invalid YAML") as e:
        project_loader(conf)["parameters"]
    assert e.value.line == 4


def test_same_key_twice_in_one_file(write, conf):
    write("base/catalog.yml", "cars: {type: A}\nboats: {type: B}\ncars: {type: C}\n")
    with pytest.raises(
        BadConfigException, match=r"catalog.yml, line 3: key 'cars' appears twice"
    ):
        project_loader(conf)["catalog"]


def test_duplicate_key_across_files_names_both_files_and_the_key(write, conf):
    write("base/catalog.yml", "cars: {type: A}\ntrains: {type: B}\n")
    write("base/catalog/nested.yml", "cars: {type: C}\n")
    with pytest.raises(BadConfigException) as err:
        project_loader(conf)["catalog"]
    message = str(err.value)
    assert "Duplicate keys found in" in message
    assert "base/catalog.yml" in message
    assert "base/catalog/nested.yml" in message
    assert "'cars'" in message
    assert "trains" not in message
    assert err.value.key == "cars"


def test_parameters_may_split_a_mapping_across_files_but_not_a_leaf(write, conf):
    write("base/parameters.yml", "model: {rate: 0.1}\n")
    write("base/parameters/more.yml", "model: {layers: 3}\n")
    assert project_loader(conf)["parameters"] == {"model": {"rate": 0.1, "layers": 3}}
    write("base/parameters/again.yml", "model: {rate: 0.2}\n")
    with pytest.raises(BadConfigException, match=r"'model.rate'"):
        project_loader(conf)["parameters"]


def test_underscore_keys_may_repeat_across_files(write, conf):
    write("base/catalog.yml", "_root: a\nx: {filepath: '${_root}'}\n")
    write("base/catalog_2.yml", "_root: a\ny: {filepath: '${_root}'}\n")
    assert project_loader(conf)["catalog"] == {
        "x": {"filepath": "a"},
        "y": {"filepath": "a"},
    }


def test_missing_interpolation_key_names_key_path_file_and_line(write, conf):
    write("base/catalog.yml", "_root: data\ncars:\n  filepath: ${_rot}/cars.csv\n")
    with pytest.raises(BadConfigException) as err:
        project_loader(conf)["catalog"]
    message = str(err.value)
    assert "base/catalog.yml, line 3" in message
    assert "catalog key 'cars.filepath'" in message
    assert "'_rot', which does not exist" in message
    assert err.value.suggestions == ("_root",)
    assert err.value.key == "cars.filepath"


def test_unknown_resolver_names_key_and_file(write, conf):
    write("base/parameters.yml", "a:\n  b: ${uper:x}\n")
    loader = project_loader(conf, custom_resolvers={"upper": str.upper})
    with pytest.raises(BadConfigException, match=r"unknown resolver 'uper'") as err:
        loader["parameters"]
    assert "parameters.yml, line 2, parameters key 'a.b'" in str(err.value)
    assert err.value.suggestions == ("upper",)


def test_circular_interpolation_shows_the_loop(write, conf):
    write("base/parameters.yml", "a: ${b}\nb: ${c}\nc: ${a}\n")
    with pytest.raises(BadConfigException, match=r"circular interpolation: 'a' -> "):
        project_loader(conf)["parameters"]


def test_invalid_interpolation_syntax(write, conf):
    write("base/parameters.yml", "a: ${b\n")
    with pytest.raises(BadConfigException, match="invalid interpolation syntax"):
        project_loader(conf)["parameters"]


def test_failing_custom_resolver_is_wrapped(write, conf):
    write("base/parameters.yml", "a: ${boom:1}\n")

    def boom(value: int) -> int:
        raise ZeroDivisionError("no")

    loader = project_loader(conf, custom_resolvers={"boom": boom})
    with pytest.raises(BadConfigException, match=r"resolver 'boom' failed with Zero"):
        loader["parameters"]


def test_missing_environment_names_its_path_and_the_existing_ones(write, conf):
    write("base/catalog.yml", "a: 1\n")
    loader = OmegaConfigLoader(conf, base_env="base", env="prodd")
    with pytest.raises(MissingConfigException) as err:
        loader["catalog"]
    message = str(err.value)
    assert "Configuration environment 'prodd' not found" in message
    assert "conf/prodd" in message
    assert "Environments in" in message
    assert "base, local" in message
    assert err.value.environments == ("base", "local")


def test_missing_base_environment(tmp_path):
    (tmp_path / "local").mkdir()
    loader = OmegaConfigLoader(str(tmp_path), base_env="base", default_run_env="local")
    with pytest.raises(MissingConfigException, match="'base' not found"):
        loader["catalog"]


def test_missing_conf_source(tmp_path):
    loader = OmegaConfigLoader(str(tmp_path / "nope"), base_env="base")
    with pytest.raises(MissingConfigException, match="does not exist"):
        loader["catalog"]


def test_top_level_must_be_a_mapping(write, conf):
    write("base/catalog.yml", "- a\n- b\n")
    with pytest.raises(BadConfigException, match="top level must be a mapping"):
        project_loader(conf)["catalog"]


def test_not_utf8(write, conf, tmp_path):
    (tmp_path / "conf" / "base" / "catalog.yml").write_bytes(b"a: \xff\xfe\n")
    with pytest.raises(BadConfigException, match="not valid UTF-8"):
        project_loader(conf)["catalog"]


def test_alias_bomb_is_refused_but_big_files_are_not(write, conf):
    lines = ["a: &a [x, x, x, x, x, x, x, x, x, x]"]
    for n in "bcdefgh":
        prev = chr(ord(n) - 1)
        lines.append(f"{n}: &{n} [*{prev}, *{prev}, *{prev}, *{prev}, *{prev}]")
    write("base/parameters.yml", "\n".join(lines) + "\n")
    with pytest.raises(BadConfigException, match="alias"):
        project_loader(conf)["parameters"]


def test_errors_pickle_with_their_facts(write, conf):
    write("base/catalog.yml", "a: {filepath: '${nope}'}\n")
    with pytest.raises(BadConfigException) as err:
        project_loader(conf)["catalog"]
    again = pickle.loads(pickle.dumps(err.value))
    assert str(again) == str(err.value)
    assert again.key == "a.filepath"


# -- credentials never leak ------------------------------------------------------------


CREDENTIAL_FILES = {
    "bad_yaml": f"db:\n  password: [{SECRET}\n",
    "bad_yaml_tab": f"db:\n\tpassword: {SECRET}\n",
    "bad_indent": f"db:\n  user: x\n password: {SECRET}\n",
    "missing_key": f"db:\n  password: {SECRET}\n  url: postgres://u:{SECRET}@h/${{nope}}\n",
    "unknown_resolver": f"db:\n  url: '{SECRET}${{vault:db}}'\n",
    "missing_env": f"db:\n  url: {SECRET}-${{oc.env:ORDINO_SURELY_UNSET_VAR}}\n",
    "bad_syntax": f"db:\n  url: '{SECRET}${{oops'\n",
    "failing_resolver": f"db:\n  url: ${{leak:{SECRET}}}\n",
    "duplicate": f"db: {{password: {SECRET}}}\ndb: {{password: {SECRET}}}\n",
    "list_top": f"- {SECRET}\n",
    "circular": f"a: {SECRET}${{b}}\nb: ${{a}}\n",
    "bad_utf8": None,
}


@pytest.mark.parametrize("case", sorted(CREDENTIAL_FILES))
def test_nothing_from_a_credentials_file_appears_in_errors_or_logs(
    case, write, conf, tmp_path, caplog, monkeypatch
):
    monkeypatch.delenv("ORDINO_SURELY_UNSET_VAR", raising=False)
    text = CREDENTIAL_FILES[case]
    if text is None:
        path = tmp_path / "conf" / "local" / "credentials.yml"
        path.write_bytes(f"db: {SECRET}\n".encode() + b"\xff\n")
    else:
        write("local/credentials.yml", text)
    write("base/credentials.yml", "other: {user: x}\n")

    def leak(value: str) -> str:
        raise ValueError(f"cannot use {value}")

    caplog.set_level(logging.DEBUG)
    loader = project_loader(conf, custom_resolvers={"leak": leak})
    with pytest.raises(OrdinoError) as err:
        loader["credentials"]
    rendered = "".join(
        traceback.format_exception(type(err.value), err.value, err.value.__traceback__)
    )
    assert SECRET not in rendered
    assert SECRET not in repr(err.value)
    assert SECRET not in str(vars(err.value))
    assert SECRET not in caplog.text
    assert "credentials.yml" in str(err.value)
