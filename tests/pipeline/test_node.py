"""Node: building, checking, naming, identity, copying and running.

Kedro 1.x behaviour pinned here (docs.kedro.org "Nodes" and the ``Node`` API page):
``str(node)`` is ``name: func([in;...]) -> [out;...]`` and ``repr`` is
``Node(func, inputs, outputs, name)``; the default name is ``str(node)`` and the full
name is ``<namespace>.<name>``; ``short_name`` title-cases the function name; nodes
compare by name and declared input/output shapes (not by function); a dict of inputs
binds by parameter name; outputs ``None`` drops the return value; ``tag`` copies.
"""

from __future__ import annotations

import functools
import os
import pickle
import re
import subprocess
import sys
from collections.abc import Iterator
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ordino.errors import NodeError, NodeOutputError, NodeSignatureError
from ordino.pipeline.node import Node, node


def identity(x: Any) -> Any:
    return x


def add(a: int, b: int) -> int:
    return a + b


def add_with_default(a: int, b: int = 10, *, c: int = 100) -> int:
    return a + b + c


def split_pair(pair: tuple[Any, Any]) -> tuple[Any, Any]:
    return pair[0], pair[1]


def total(*numbers: int) -> int:
    return sum(numbers)


def keyword_only(a: int, *, scale: int) -> int:
    return a * scale


def positional_only(a: int, /, b: int) -> int:
    return a - b


def with_kwargs(a: int, **extra: int) -> int:
    return a + sum(extra.values())


def biggest(x: int, y: int) -> dict[str, int]:
    return {"big": max(x, y), "small": min(x, y)}


class Scale:
    """A callable object: nodes accept any callable."""

    def __init__(self, factor: int) -> None:
        self.factor = factor

    def __call__(self, value: int) -> int:
        return value * self.factor

    def double(self, value: int) -> int:
        return value * 2


# -- building -------------------------------------------------------------------------


def test_node_function_builds_a_node() -> None:
    n = node(add, ["a", "b"], "sum")
    assert isinstance(n, Node)
    assert n.func is add
    assert n.inputs == ["a", "b"]
    assert n.outputs == ["sum"]
    assert n.confirms == []
    assert n.tags == set()
    assert n.namespace is None


def test_str_and_repr_match_kedro() -> None:
    n = node(add, ["a", "b"], "sum")
    assert str(n) == "add([a;b]) -> [sum]"
    assert repr(n) == "Node(add, ['a', 'b'], 'sum', None)"
    named = node(add, ["a", "b"], "sum", name="adding_a_and_b")
    assert str(named) == "adding_a_and_b: add([a;b]) -> [sum]"
    assert repr(named) == "Node(add, ['a', 'b'], 'sum', 'adding_a_and_b')"
    assert str(node(lambda: 1, None, "one")) == "<lambda>(None) -> [one]"
    assert str(node(print, "x", None)) == "print([x]) -> None"


@pytest.mark.parametrize(
    ("inputs", "expected"),
    [
        (None, []),
        ("a", ["a"]),
        (["a", "b"], ["a", "b"]),
        (("a", "b"), ["a", "b"]),
        ({"b": "second", "a": "first"}, ["first", "second"]),
    ],
)
def test_inputs_in_binding_order(inputs: Any, expected: list[str]) -> None:
    func = (lambda: 0) if inputs is None else add if inputs != "a" else identity
    assert node(func, inputs, "out").inputs == expected


def test_dict_inputs_bind_in_signature_order_then_kwargs() -> None:
    n = node(with_kwargs, {"zeta": "z", "a": "first", "alpha": "al"}, "out")
    assert n.inputs == ["first", "z", "al"]
    assert n.run({"first": 1, "z": 2, "al": 3}) == {"out": 6}


@pytest.mark.parametrize(
    ("outputs", "expected"),
    [
        (None, []),
        ("a", ["a"]),
        (["a", "b"], ["a", "b"]),
        ({"small": "s", "big": "b"}, ["s", "b"]),
    ],
)
def test_outputs_in_declared_order(outputs: Any, expected: list[str]) -> None:
    assert node(identity, "x", outputs).outputs == expected


def test_params_inputs_are_ordinary_names() -> None:
    n = node(add, ["data", "params:model.alpha"], "out")
    assert n.inputs == ["data", "params:model.alpha"]
    assert n.run({"data": 1, "params:model.alpha": 2}) == {"out": 3}


def test_confirms_accepts_str_and_list() -> None:
    assert node(identity, "x", "y", confirms="x").confirms == ["x"]
    assert node(identity, "x", "y", confirms=["x", "z"]).confirms == ["x", "z"]


def test_tags_from_str_or_iterable() -> None:
    assert node(identity, "x", "y", tags="a").tags == {"a"}
    assert node(identity, "x", "y", tags=["a", "b", "a"]).tags == {"a", "b"}


def test_tags_property_is_a_copy() -> None:
    n = node(identity, "x", "y", tags="a")
    n.tags.add("b")
    assert n.tags == {"a"}


def test_raw_shapes_are_kept_and_copied() -> None:
    inputs = ["a", "b"]
    outputs = {"big": "b1", "small": "s1"}
    n = node(biggest, inputs, outputs, confirms=["a"])
    inputs.append("c")
    outputs["other"] = "o"
    assert n._inputs == ["a", "b"]
    assert n._outputs == {"big": "b1", "small": "s1"}
    assert n._confirms == ["a"]
    assert node(identity, ("x",), "y")._inputs == ["x"]


# -- kinds of callables ---------------------------------------------------------------


def test_default_arguments_may_be_left_out() -> None:
    n = node(add_with_default, "a", "out")
    assert n.run({"a": 1}) == {"out": 111}
    assert node(add_with_default, ["a", "b"], "out").run({"a": 1, "b": 2}) == {
        "out": 103
    }
    assert node(add_with_default, {"a": "x", "c": "y"}, "out").run(
        {"x": 1, "y": 2}
    ) == {"out": 13}


def test_var_positional_takes_any_number_of_inputs() -> None:
    n = node(total, ["a", "b", "c", "d"], "sum")
    assert n.run({"a": 1, "b": 2, "c": 3, "d": 4}) == {"sum": 10}
    assert node(total, None, "zero").run() == {"zero": 0}


def test_partial_binds_the_remaining_parameters() -> None:
    n = node(functools.partial(add, b=5), "a", "out")
    assert n.run({"a": 1}) == {"out": 6}
    assert str(n) == "add([a]) -> [out]"
    with pytest.raises(NodeSignatureError, match="takes 1 positional argument but 2"):
        node(functools.partial(add, 1), ["x", "y"], "out")


def test_partials_made_in_a_loop_are_checked_correctly() -> None:
    nodes = [node(functools.partial(add, b=i), f"a{i}", f"o{i}") for i in range(5)]
    assert [n.run({f"a{i}": 1}) for i, n in enumerate(nodes)] == [
        {f"o{i}": 1 + i} for i in range(5)
    ]
    with pytest.raises(NodeSignatureError, match="parameter 'a'"):
        node(functools.partial(add, b=1), None, "out")


def test_lambda_callable_object_method_and_class() -> None:
    assert node(lambda v: v + 1, "v", "w").run({"v": 1}) == {"w": 2}
    scale = Scale(3)
    assert node(scale, "v", "w").run({"v": 2}) == {"w": 6}
    assert str(node(scale, "v", "w")) == "Scale([v]) -> [w]"
    assert node(scale.double, "v", "w").run({"v": 2}) == {"w": 4}
    assert node(Scale, "factor", "scaler").run({"factor": 2})["scaler"].factor == 2
    with pytest.raises(NodeSignatureError, match=r"double\(value\) takes 1"):
        node(scale.double, ["v", "w"], "out")
    with pytest.raises(NodeSignatureError, match=r"Scale\(factor\) takes 1"):
        node(Scale, ["a", "b"], "out")


def test_callables_that_cannot_be_cached_are_still_checked() -> None:
    import operator

    assert node(operator.itemgetter(0), "a", "b").run({"a": [5]}) == {"b": 5}
    assert node("-".join, "a", "b").run({"a": ["x", "y"]}) == {"b": "x-y"}

    class Unhashable:
        __hash__ = None  # type: ignore[assignment]

        def __call__(self, x: int) -> int:
            return x

    assert node(Unhashable(), "a", "b").run({"a": 1}) == {"b": 1}
    with pytest.raises(NodeSignatureError, match=r"Unhashable\(x\) takes 1"):
        node(Unhashable(), ["a", "c"], "b")


def test_subclasses_of_list_and_dict_are_stored_plainly() -> None:
    from collections import OrderedDict

    n = node(add, OrderedDict(a="x", b="y"), "s")
    assert type(n._inputs) is dict
    assert n.run({"x": 1, "y": 2}) == {"s": 3}

    class Names(list):  # type: ignore[type-arg]
        pass

    assert type(node(add, Names(["x", "y"]), "s")._inputs) is list


def test_builtin_without_signature_is_accepted() -> None:
    # max() has no inspectable signature: there is nothing to check against.
    assert node(max, ["a", "b"], "m").run({"a": 1, "b": 5}) == {"m": 5}


def test_decorated_function_is_checked_against_the_wrapper() -> None:
    def logged(func: Any) -> Any:
        @functools.wraps(func)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            return func(*args, **kwargs)

        return wrapper

    n = node(logged(add), ["a", "b"], "s")
    assert n.run({"a": 1, "b": 2}) == {"s": 3}
    assert str(n) == "add([a;b]) -> [s]"


# -- construction checks --------------------------------------------------------------


def test_not_callable() -> None:
    with pytest.raises(NodeError, match="first argument must be a function, not a str"):
        node("add", "a", "b")  # type: ignore[arg-type]
    with pytest.raises(NodeError, match="Node 'clean': the first argument"):
        node(42, "a", "b", name="clean")  # type: ignore[arg-type]


def test_no_inputs_and_no_outputs() -> None:
    with pytest.raises(NodeError, match="has neither inputs nor outputs"):
        node(lambda: None, None, None)
    with pytest.raises(NodeError, match="Node 'noop' has neither"):
        node(lambda: None, [], {}, name="noop")


def test_duplicate_outputs() -> None:
    with pytest.raises(NodeError, match=r"declares the output \['b'\] more than once"):
        node(lambda a: (a, a), "a", ["b", "b"])
    with pytest.raises(NodeError, match="more than once") as info:
        node(lambda a: {}, "a", {"x": "b", "y": "b"}, name="twice")
    assert info.value.node == "twice"
    assert info.value.dataset == "b"


def test_input_equal_to_output() -> None:
    with pytest.raises(
        NodeError, match="reads 'a' and writes the same dataset"
    ) as info:
        node(identity, "a", "a", name="loop")
    assert info.value.node == "loop"
    assert "write to a new dataset" in str(info.value)


def test_input_equal_to_output_when_transcoded() -> None:
    with pytest.raises(
        NodeError, match="reads 'x@pandas' and writes 'x@spark', both dataset 'x'"
    ) as info:
        node(identity, "x@pandas", "x@spark")
    assert info.value.dataset == "x"
    with pytest.raises(NodeError, match="reads 'x' and writes 'x@spark'"):
        node(add, ["y", "x"], ["x@spark"])


def test_too_many_inputs() -> None:
    with pytest.raises(
        NodeSignatureError,
        match=r"Node 'add\(\[a;b;c\]\) -> \[s\]': inputs \['a', 'b', 'c'\] do not fit "
        r"the function: add\(a, b\) takes 2 positional arguments but 3 inputs",
    ) as info:
        node(add, ["a", "b", "c"], "s")
    assert info.value.node == "add([a;b;c]) -> [s]"
    assert "Remove the extra inputs" in str(info.value)


def test_missing_required_parameter() -> None:
    with pytest.raises(
        NodeSignatureError,
        match=r"parameter 'b' of add\(a, b\) gets no input and has no default",
    ):
        node(add, "a", "s")
    with pytest.raises(NodeSignatureError, match=r"parameters 'a', 'b' of add"):
        node(add, None, "s")
    with pytest.raises(
        NodeSignatureError, match=r"parameter 'scale' of keyword_only\(a, \*, scale\)"
    ):
        node(keyword_only, "a", "s")


def test_unknown_keyword_suggests_the_parameter() -> None:
    with pytest.raises(
        NodeSignatureError, match=r"add\(a, b\) has no parameter 'bb'"
    ) as info:
        node(add, {"a": "x", "bb": "y"}, "s", name="adder")
    assert info.value.suggestions == ("b",)
    assert info.value.node == "adder"
    assert "Did you mean 'b'?" in str(info.value)


def test_keyword_only_binds_by_name() -> None:
    n = node(keyword_only, {"a": "x", "scale": "k"}, "s")
    assert n.run({"x": 2, "k": 3}) == {"s": 6}


def test_positional_only_cannot_be_bound_by_name() -> None:
    with pytest.raises(
        NodeSignatureError, match=r"'a' of positional_only.*positional-only"
    ):
        node(positional_only, {"a": "x", "b": "y"}, "s")
    assert node(positional_only, ["x", "y"], "s").run({"x": 5, "y": 2}) == {"s": 3}


def test_signature_error_is_a_type_error_and_a_node_error() -> None:
    with pytest.raises(TypeError):
        node(add, ["a", "b", "c"], "s")
    with pytest.raises(ValueError):
        node(add, ["a", "b", "c"], "s")


@pytest.mark.parametrize(
    "name", ["clean", "clean_data", "clean-data", "v1.2", "données", "a1", "_x"]
)
def test_valid_node_names(name: str) -> None:
    assert node(identity, "a", "b", name=name).name == name


@pytest.mark.parametrize("name", ["", "with space", "a/b", "a:b", "x@y", "a;b", "é!"])
def test_invalid_node_names(name: str) -> None:
    with pytest.raises(
        NodeError,
        match=rf"Node name '{name}' is not valid: it must contain only letters, "
        r"digits, '_', '-' and '\.'",
    ):
        node(identity, "a", "b", name=name)


def test_node_name_must_be_a_string() -> None:
    with pytest.raises(NodeError, match="Node name 3 is not valid"):
        node(identity, "a", "b", name=3)  # type: ignore[arg-type]


@pytest.mark.parametrize("tag", ["bad tag", "x/y", "", "a,b"])
def test_invalid_tags(tag: str) -> None:
    with pytest.raises(NodeError, match=f"tag '{tag}' is not valid"):
        node(identity, "a", "b", tags=["ok", tag])
    with pytest.raises(NodeError, match=f"tag '{tag}' is not valid"):
        node(identity, "a", "b").tag(tag)


def test_tags_wrong_type() -> None:
    with pytest.raises(NodeError, match="tags must be a string or a list of strings"):
        node(identity, "a", "b", tags=5)  # type: ignore[arg-type]
    with pytest.raises(NodeError, match="tag 5 is not valid"):
        node(identity, "a", "b", tags=[5])  # type: ignore[list-item]


@pytest.mark.parametrize("namespace", ["", ".a", "a.", "a..b", "a b", 7])
def test_invalid_namespaces(namespace: Any) -> None:
    with pytest.raises(NodeError, match=r"Namespace .* is not valid"):
        node(identity, "a", "b", namespace=namespace)


@pytest.mark.parametrize(
    "name",
    ["companies", "params:model.alpha", "parameters", "ns.cars", "cars@pandas", "01_x"],
)
def test_valid_dataset_names(name: str) -> None:
    assert node(identity, name, "out").inputs == [name]


@pytest.mark.parametrize(
    ("name", "problem"),
    [
        ("", "is empty"),
        ("a b", "contains whitespace"),
        ("a\tb", "contains whitespace"),
        ("a,b", "contains ',' or ';'"),
        ("a;b", "contains ',' or ';'"),
        ("a@b@c", "is not a valid transcoded name"),
        ("@x", "is not a valid transcoded name"),
        ("x@", "is not a valid transcoded name"),
    ],
)
def test_invalid_dataset_names(name: str, problem: str) -> None:
    quoted = re.escape(repr(name))
    with pytest.raises(NodeError, match=f"input {quoted} in .* {problem}") as info:
        node(identity, ["ok", name][1:], "out")
    assert info.value.dataset == name
    with pytest.raises(NodeError, match=f"output {quoted} in .* {problem}"):
        node(identity, "in", {"k": name}, name="writer")


@pytest.mark.parametrize(
    ("inputs", "outputs", "message"),
    [
        (5, "b", "'inputs' must be None, a dataset name, a list of names or a dict"),
        ("a", 5.0, "'outputs' must be None, a dataset name"),
        ({"a", "b"}, "c", "'inputs' must be .* not a set"),
        (["a", 3], "c", "input 3 in \\['a', 3\\] is an int, not a string"),
        ("a", ["b", None], "output None in .* is a NoneType, not a string"),
        ({"a": 1}, "c", "input 1 in .* is an int"),
        ({1: "a"}, "c", "the inputs dict key 1 is not a parameter name"),
    ],
)
def test_wrong_types_for_inputs_and_outputs(
    inputs: Any, outputs: Any, message: str
) -> None:
    with pytest.raises(NodeError, match=f"Node of function 'add': {message}"):
        node(add, inputs, outputs)


def test_confirms_wrong_shape() -> None:
    with pytest.raises(NodeError, match="'confirms' must be a dataset name or a list"):
        node(identity, "a", "b", confirms={"x": "y"})  # type: ignore[arg-type]
    with pytest.raises(NodeError, match="confirmed dataset '' in"):
        node(identity, "a", "b", confirms=[""])


# -- names, identity ------------------------------------------------------------------


def test_name_includes_namespace() -> None:
    n = node(identity, "a", "b", name="clean", namespace="data.prep")
    assert n.name == "data.prep.clean"
    assert n.namespace == "data.prep"
    assert n.short_name == "clean"
    assert str(n) == "clean: identity([a]) -> [b]"
    unnamed = node(identity, "a", "b", namespace="ns")
    assert unnamed.name == "ns.identity([a]) -> [b]"


def test_short_name_is_title_cased_function_name() -> None:
    assert node(split_pair, "p", ["a", "b"]).short_name == "Split Pair"
    assert node(split_pair, "p", ["a", "b"], name="splitter").short_name == "splitter"


def test_default_name_differs_by_inputs_and_outputs() -> None:
    names = {
        node(identity, "a", "b").name,
        node(identity, "a", "c").name,
        node(identity, "c", "b").name,
        node(add, ["a", "c"], "b").name,
        node(add, ["c", "a"], "b").name,
    }
    assert len(names) == 5


def test_default_name_is_stable_across_processes() -> None:
    code = (
        "from ordino.pipeline.node import node\n"
        "import operator, functools\n"
        "print(node(operator.add, ['a', 'b'], 'c').name)\n"
        "print(node(functools.partial(operator.add, 1), 'a', ['c']).name)\n"
    )
    env = {**os.environ, "PYTHONHASHSEED": "1234"}
    out = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        env=env,
        check=True,
    ).stdout.splitlines()
    assert out == ["add([a;b]) -> [c]", "add([a]) -> [c]"]


def test_equality_follows_kedro() -> None:
    a = node(add, ["x", "y"], "s", name="n", tags="t")
    b = node(lambda x, y: 0, ["x", "y"], "s", name="n")
    assert a == b  # the function and the tags are not part of a node's identity
    assert hash(a) == hash(b)
    assert a != node(add, ["y", "x"], "s", name="n")
    assert a != node(add, ["x", "y"], "s", name="m")
    assert a != node(add, ["x", "y"], "s", name="n", namespace="ns")
    assert node(identity, "x", "y") != node(identity, ["x"], "y")
    assert node(biggest, {"x": "a", "y": "b"}, "o") == node(
        biggest, {"y": "b", "x": "a"}, "o"
    )
    assert a != "n"


def test_nodes_are_dict_keys_and_sortable() -> None:
    first = node(identity, "a", "b", name="first")
    second = node(identity, "b", "c", name="second")
    mapping = {first: 1, second: 2}
    assert mapping[node(identity, "a", "b", name="first")] == 1
    assert sorted([second, first]) == [first, second]
    assert sorted([node(identity, "a", "z"), node(identity, ["a"], "z")])


def test_pickle_round_trip_keeps_identity_across_hash_seeds() -> None:
    code = (
        "import operator, pickle, sys\n"
        "from ordino.pipeline.node import node\n"
        "n = node(operator.neg, ['x'], 'y', name='neg', tags=['t'])\n"
        "sys.stdout.write(pickle.dumps(n).hex())\n"
    )
    env = {**os.environ, "PYTHONHASHSEED": "99"}
    hexed = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        env=env,
        check=True,
    ).stdout
    restored = pickle.loads(bytes.fromhex(hexed))
    import operator

    here = node(operator.neg, ["x"], "y", name="neg", tags=["t"])
    assert {here: "found"}[restored] == "found"
    assert restored.tags == {"t"}
    assert restored.run({"x": 2}) == {"y": -2}


@settings(max_examples=150, deadline=None)
@given(
    st.data(),
    st.lists(
        st.text(
            alphabet=st.characters(
                whitelist_categories=("L", "N"), whitelist_characters="_-.:@[]()>"
            ),
            min_size=1,
            max_size=8,
        ).filter(lambda s: s.count("@") == 0),
        min_size=2,
        max_size=12,
        unique=True,
    ),
)
def test_default_names_are_stable_and_distinct(
    data: st.DataObject, pool: list[str]
) -> None:
    def draw() -> tuple[list[str], list[str]]:
        ins = data.draw(st.lists(st.sampled_from(pool), max_size=4, unique=True))
        outs = data.draw(
            st.lists(
                st.sampled_from([p for p in pool if p not in ins] or ["fallback"]),
                min_size=1,
                max_size=3,
                unique=True,
            )
        )
        return ins, outs

    ins_a, outs_a = draw()
    ins_b, outs_b = draw()
    a = node(total, ins_a, outs_a)
    # Stable: the same definition always gets the same name.
    assert a.name == node(total, list(ins_a), list(outs_a)).name
    assert a == node(total, list(ins_a), list(outs_a))
    # Distinct: a different definition gets a different name.
    b = node(total, ins_b, outs_b)
    assert (a.name == b.name) == ((ins_a, outs_a) == (ins_b, outs_b))


# -- tag, _copy, _rename -------------------------------------------------------------


def test_tag_returns_a_copy() -> None:
    n = node(identity, "a", "b", tags="x")
    tagged = n.tag(["y", "z"])
    assert tagged.tags == {"x", "y", "z"}
    assert n.tags == {"x"}
    assert tagged is not n
    assert tagged == n
    assert n.tag("w").tags == {"x", "w"}


def test_copy_replaces_arguments() -> None:
    n = node(add, ["a", "b"], "s", name="adder", tags="t", confirms="a")
    c = n._copy(inputs=["c", "d"], name="other", namespace="ns", tags=["u"])
    assert (c.inputs, c.outputs, c.name, c.tags, c.confirms) == (
        ["c", "d"],
        ["s"],
        "ns.other",
        {"u"},
        ["a"],
    )
    assert c.func is add
    assert n._copy(name=None).name == "add([a;b]) -> [s]"
    assert n._copy(func=identity, inputs="a").run({"a": 4}) == {"s": 4}


def test_copy_skips_signature_check_when_only_names_change(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    node_module = sys.modules["ordino.pipeline.node"]

    n = node(add, ["a", "b"], "s")
    d = node(biggest, {"y": "b", "x": "a"}, {"big": "p", "small": "q"})

    def forbidden(*args: Any) -> Any:
        raise AssertionError("signature inspected again")

    monkeypatch.setattr(node_module, "bind", forbidden)
    monkeypatch.setattr(node_module, "fits_positionally", forbidden)
    assert n._copy(inputs=["c", "d"], namespace="ns", tags="t").inputs == ["c", "d"]
    renamed = d._copy(inputs={"x": "a2", "y": "b2"})
    assert renamed.inputs == ["a2", "b2"]
    assert renamed.run({"a2": 1, "b2": 5}) == {"p": 5, "q": 1}


def test_copy_rechecks_signature_when_binding_changes() -> None:
    n = node(add, ["a", "b"], "s")
    with pytest.raises(NodeSignatureError, match="takes 2 positional arguments but 3"):
        n._copy(inputs=["a", "b", "c"])
    with pytest.raises(NodeSignatureError, match="has no parameter 'z'"):
        n._copy(inputs={"a": "x", "z": "y"})
    with pytest.raises(TypeError, match=r"unknown arguments \['input'\]"):
        n._copy(input="x")


def test_copy_still_checks_names_and_datasets() -> None:
    n = node(add, ["a", "b"], "s")
    with pytest.raises(NodeError, match="reads 'a' and writes the same dataset"):
        n._copy(outputs="a")
    with pytest.raises(NodeError, match="Node name 'bad name' is not valid"):
        n._copy(name="bad name")
    with pytest.raises(NodeError, match="tag 'bad tag' is not valid"):
        n._copy(tags=["bad tag"])
    with pytest.raises(NodeError, match="input 'a b' in"):
        n._copy(inputs=["a b", "c"])


def test_rename_keeps_shapes() -> None:
    n = node(
        biggest,
        {"x": "a", "y": "params:b"},
        {"big": "big@pandas", "small": "small"},
        name="f",
        confirms="a",
        tags="t",
    )
    m = n._rename(lambda d: f"ns.{d}", namespace="ns")
    assert m._inputs == {"x": "ns.a", "y": "ns.params:b"}
    assert m._outputs == {"big": "ns.big@pandas", "small": "ns.small"}
    assert m._confirms == "ns.a"
    assert (m.name, m.namespace, m.tags) == ("ns.f", "ns", {"t"})
    listed = node(add, ["a", "b"], ["c"])._rename(str.upper, name="up", tags=["u"])
    assert (listed._inputs, listed._outputs, listed.name, listed.tags) == (
        ["A", "B"],
        ["C"],
        "up",
        {"u"},
    )
    assert node(lambda: 1, None, "c")._rename(str.upper)._inputs is None
    assert n._rename(lambda d: d, namespace=None).namespace is None


def test_rename_detects_collisions() -> None:
    n = node(add, ["a", "b"], "c")
    with pytest.raises(NodeError, match="reads 'x' and writes the same dataset"):
        n._rename(lambda d: "x")
    two = node(split_pair, "p", ["a", "b"])
    with pytest.raises(NodeError, match="more than once"):
        two._rename(lambda d: "q" if d != "p" else d)


def test_func_setter_keeps_identity() -> None:
    n = node(add, {"b": "y", "a": "x"}, "s")
    name, key = n.name, hash(n)

    def wrapper(*args: Any, **kwargs: Any) -> int:
        return add(*args, **kwargs) * 10

    n.func = wrapper
    assert (n.name, hash(n), n.inputs) == (name, key, ["x", "y"])
    assert n.run({"x": 1, "y": 2}) == {"s": 30}
    with pytest.raises(NodeSignatureError, match="the new function does not fit"):
        n.func = identity
    with pytest.raises(NodeError, match="first argument must be a function"):
        n.func = "nope"  # type: ignore[assignment]


# -- running --------------------------------------------------------------------------


def test_run_shapes() -> None:
    assert node(lambda: 5, None, "five").run() == {"five": 5}
    assert node(identity, "a", "b").run({"a": 1}) == {"b": 1}
    assert node(split_pair, "p", ["a", "b"]).run({"p": [1, 2]}) == {"a": 1, "b": 2}
    assert node(biggest, ["x", "y"], {"small": "s", "big": "b"}).run(
        {"x": 1, "y": 2}
    ) == {"s": 1, "b": 2}
    assert node(add, ["a", "a"], "double").run({"a": 2}) == {"double": 4}


def test_call_is_run_with_keywords() -> None:
    assert node(add, ["a", "b"], "s")(a=1, b=2) == {"s": 3}


def test_outputs_none_drops_the_return_value() -> None:
    seen: list[int] = []
    assert node(lambda x: seen.append(x) or 99, "x", None).run({"x": 1}) == {}
    assert seen == [1]


def test_run_missing_and_unexpected_inputs() -> None:
    n = node(add, ["a", "b"], "s", name="adder")
    with pytest.raises(
        NodeError,
        match=r"Node 'adder' expects the inputs \['a', 'b'\] but was given "
        r"\['a', 'bb'\]: missing \['b'\], unexpected \['bb'\]",
    ) as info:
        n.run({"a": 1, "bb": 2})
    assert info.value.suggestions == ("bb",)
    assert info.value.missing == ("b",)
    with pytest.raises(NodeError, match=r"unexpected \['c'\]"):
        n.run({"a": 1, "b": 2, "c": 3})
    with pytest.raises(NodeError, match=r"missing \['a', 'b'\]"):
        n.run()
    with pytest.raises(NodeError, match=r"run\(\) takes a dict .* not a list"):
        n.run([1, 2])  # type: ignore[arg-type]
    with pytest.raises(NodeError, match=r"expects the inputs \[\] but .* unexpected"):
        node(lambda: 1, None, "x").run({"x": 1})


def test_run_propagates_the_functions_error() -> None:
    def boom(x: int) -> int:
        raise ZeroDivisionError("inside")

    with pytest.raises(ZeroDivisionError, match="inside"):
        node(boom, "x", "y").run({"x": 1})


@pytest.mark.parametrize(
    ("outputs", "returned", "message"),
    [
        (
            ["a", "b"],
            5,
            r"returned an int, but its outputs are declared as \['a', 'b'\]",
        ),
        (["a", "b"], [1, 2, 3], r"returned 3 values, .* needs 2 values"),
        (["a", "b"], "ab", "returned a str"),
        ({"k": "a"}, [1], r"returned a list, .* needs a dict with the keys \['k'\]"),
        (
            {"k": "a", "j": "b"},
            {"k": 1, "x": 2},
            r"returned a dict with the keys \['k', 'x'\] \(missing \['j'\], "
            r"unexpected \['x'\]\), but its outputs are declared as",
        ),
        ({"k": "a"}, {"k": 1, "x": 2}, r"returned .* \(unexpected \['x'\]\)"),
        ({"k": "a"}, {}, r"returned .* \(missing \['k'\]\)"),
    ],
)
def test_run_output_mismatch(outputs: Any, returned: Any, message: str) -> None:
    n = node(lambda x: returned, "x", outputs, name="maker")
    with pytest.raises(NodeOutputError, match=f"Node 'maker' {message}") as info:
        n.run({"x": 0})
    assert info.value.node == "maker"
    assert "change the node's outputs" in str(info.value)


def test_tuple_outputs_unpack() -> None:
    assert node(lambda x: (x, x + 1), "x", ("a", "b")).run({"x": 1}) == {"a": 1, "b": 2}


# -- generator nodes ------------------------------------------------------------------


def chunks_of(data: list[int]) -> Iterator[list[int]]:
    for i in range(0, len(data), 2):
        yield data[i : i + 2]


def halves(data: list[int]) -> Iterator[tuple[int, int]]:
    for value in data:
        yield value, -value


def keyed(data: list[int]) -> Iterator[dict[str, int]]:
    for value in data:
        yield {"pos": value, "neg": -value}


def test_generator_run_chunks_single_output() -> None:
    n = node(chunks_of, "data", "chunk")
    assert list(n.run_chunks({"data": [1, 2, 3, 4, 5]})) == [
        {"chunk": [1, 2]},
        {"chunk": [3, 4]},
        {"chunk": [5]},
    ]


def test_generator_run_chunks_list_and_dict_outputs() -> None:
    assert list(node(halves, "d", ["p", "n"]).run_chunks({"d": [1, 2]})) == [
        {"p": 1, "n": -1},
        {"p": 2, "n": -2},
    ]
    assert list(node(keyed, "d", {"neg": "n", "pos": "p"}).run_chunks({"d": [3]})) == [
        {"n": -3, "p": 3}
    ]


def test_run_chunks_of_an_ordinary_function_gives_one_dict() -> None:
    assert list(node(add, ["a", "b"], "s").run_chunks({"a": 1, "b": 2})) == [{"s": 3}]


def test_run_chunks_checks_each_chunk() -> None:
    def bad(data: list[int]) -> Iterator[Any]:
        yield (1, 2)
        yield 3

    chunks = node(bad, "d", ["a", "b"], name="gen").run_chunks({"d": []})
    assert next(chunks) == {"a": 1, "b": 2}
    with pytest.raises(NodeOutputError, match="Node 'gen' yielded, as chunk 2, an int"):
        next(chunks)


def test_generator_run_returns_lazy_iterators_per_output() -> None:
    started: list[str] = []

    def produce(data: list[int]) -> Iterator[tuple[int, int]]:
        started.append("yes")
        yield from halves(data)

    out = node(produce, "d", ["p", "n"]).run({"d": [1, 2, 3]})
    assert started == ["yes"]  # the first chunk is checked at once
    assert list(out["p"]) == [1, 2, 3]
    assert list(out["n"]) == [-1, -2, -3]
    single = node(chunks_of, "d", "c").run({"d": [1, 2, 3]})
    assert list(single["c"]) == [[1, 2], [3]]
    keyed_out = node(keyed, "d", {"pos": "p", "neg": "n"}).run({"d": [4]})
    assert (list(keyed_out["p"]), list(keyed_out["n"])) == ([4], [-4])


def test_generator_run_checks_the_first_chunk_eagerly() -> None:
    with pytest.raises(NodeOutputError, match="Node 'g' yielded, as chunk 1, a dict"):
        node(keyed, "d", ["a", "b"], name="g").run({"d": [1, 2, 3]})


def test_generator_without_outputs_still_runs() -> None:
    seen: list[int] = []

    def side_effects(data: list[int]) -> Iterator[None]:
        for value in data:
            seen.append(value)
            yield None

    assert node(side_effects, "d", None).run({"d": [1, 2]}) == {}
    assert seen == [1, 2]
    assert list(node(side_effects, "d", None).run_chunks({"d": [3]})) == [{}]
    assert seen == [1, 2, 3]


def test_empty_generator() -> None:
    out = node(halves, "d", ["p", "n"]).run({"d": []})
    assert (list(out["p"]), list(out["n"])) == ([], [])
    assert list(node(halves, "d", ["p", "n"]).run_chunks({"d": []})) == []


# -- speed guard (not a benchmark: a regression guard against quadratic work) ---------


def test_building_many_nodes_stays_linear() -> None:
    nodes = [node(add, [f"a{i}", f"b{i}"], f"c{i}") for i in range(20_000)]
    assert len(set(nodes)) == 20_000
    renamed = [n._rename(lambda d: f"ns.{d}", namespace="ns") for n in nodes]
    assert renamed[5].name == "ns.add([ns.a5;ns.b5]) -> [ns.c5]"
