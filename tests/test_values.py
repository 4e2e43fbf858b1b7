"""``plvgov.values.dataclass``: the standard dataclass, made when the class is first used.

Each class here is written twice, once with the standard decorator and once with plvgov's, and
the two must behave alike; a class is not made until something uses it; every way in (an
instance, a copy, a pickle, its fields, a class that inherits from it, many threads at once)
makes it first."""

from __future__ import annotations

import copy
import dataclasses
import re
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from plvgov import values

ROOT = Path(__file__).resolve().parent.parent


def _pair(**options: object) -> tuple[type, type]:
    """The same class under both decorators."""

    def body() -> type:
        class Minute:
            """A minute."""

            number: int
            text: str = "noted"
            tags: list[str] = dataclasses.field(default_factory=list)

            def __post_init__(self) -> None:
                if self.number < 0:
                    raise ValueError("a minute's number is not negative")

            @property
            def label(self) -> str:
                return f"{self.number}. {self.text}"

        return Minute

    return dataclasses.dataclass(**options)(body()), values.dataclass(**options)(body())  # type: ignore[call-overload]


def _unmade(cls: type) -> bool:
    return "__eq__" not in cls.__dict__ and "__repr__" not in cls.__dict__


@pytest.mark.parametrize(
    "options",
    [{}, {"frozen": True}, {"order": True}, {"frozen": True, "order": True}, {"kw_only": True}],
)
def test_a_class_behaves_as_the_standard_dataclass(options: dict[str, object]) -> None:
    standard, ours = _pair(**options)
    assert _unmade(ours)
    kw = {"number": 1} if options.get("kw_only") else {}
    args = () if kw else (1,)
    a, b = standard(*args, **kw), ours(*args, **kw)  # type: ignore[call-arg]
    assert not _unmade(ours)
    assert repr(a).split("(", 1)[1] == repr(b).split("(", 1)[1]
    assert b == ours(*args, **kw) and b != ours(**{"number": 2, "text": "x"})  # type: ignore[call-arg]
    assert b.label == "1. noted" and b.tags == [] and b.tags is not ours(*args, **kw).tags  # type: ignore[call-arg]
    assert [f.name for f in dataclasses.fields(ours)] == [
        f.name for f in dataclasses.fields(standard)
    ]
    assert ours.__dataclass_params__.frozen == standard.__dataclass_params__.frozen  # type: ignore[attr-defined]
    if options.get("frozen"):  # hashed by its fields, as the standard one (a tuple for the list)
        assert hash(ours(*args, tags=(), **kw)) == hash(ours(*args, tags=(), **kw))  # type: ignore[call-arg]
    else:
        assert ours.__hash__ is None and standard.__hash__ is None
    if options.get("frozen"):
        with pytest.raises(dataclasses.FrozenInstanceError):
            b.number = 2  # type: ignore[misc]
    if options.get("order"):
        assert b < ours(number=2)  # type: ignore[call-arg,operator]
    with pytest.raises(ValueError, match="not negative"):
        ours(number=-1)  # type: ignore[call-arg]
    assert dataclasses.replace(b, text="agreed").label == "1. agreed"
    assert dataclasses.asdict(b) == dataclasses.asdict(a)


def test_asking_for_its_fields_makes_it() -> None:
    _, ours = _pair(frozen=True)
    assert _unmade(ours)
    assert dataclasses.is_dataclass(ours)
    assert not _unmade(ours)
    assert values.made(ours) is ours


def test_a_dataclass_that_inherits_makes_its_base_first() -> None:
    @values.dataclass(frozen=True)
    class Base:
        a: int

    @values.dataclass(frozen=True)
    class Child(Base):
        b: int = 2

    assert _unmade(Base) and _unmade(Child)
    child = Child(1)
    assert (child.a, child.b) == (1, 2) and child == Child(1, 2)
    assert not _unmade(Base) and Base(1) != child


def test_a_plain_subclass_with_its_own_init_makes_its_base() -> None:
    @values.dataclass
    class Base:
        a: int

    class Plain(Base):
        def __init__(self) -> None:
            super().__init__(7)

    assert Plain().a == 7 and Plain() == Plain()  # the base's __eq__ compares the fields


def test_a_class_with_its_own_init_keeps_it() -> None:
    @values.dataclass(init=False)
    class Own:
        a: int

        def __init__(self, text: str) -> None:
            self.a = int(text)

    assert Own("4").a == 4 and Own("4") == Own("4")


def test_a_copy_and_a_deep_copy_are_equal() -> None:
    _, ours = _pair(frozen=True)
    b = ours(3)
    assert copy.copy(b) == b and copy.deepcopy(b) == b


def test_an_instance_unpickled_before_its_class_is_made_is_whole(tmp_path: Path) -> None:
    """Unpickling makes no __init__ call: the class is made by __setstate__ instead."""
    (tmp_path / "minutes_mod.py").write_text(
        "from plvgov.values import dataclass\n\n"
        "@dataclass(frozen=True)\nclass Minute:\n    number: int\n    text: str = 'noted'\n"
    )
    dump = (
        "import pickle, sys, minutes_mod\n"
        "sys.stdout.buffer.write(pickle.dumps(minutes_mod.Minute(5)))\n"
    )
    load = (
        "import pickle, sys, minutes_mod\n"
        "m = pickle.loads(sys.stdin.buffer.read())\n"
        "print(m == minutes_mod.Minute(5), repr(m), hash(m) == hash(minutes_mod.Minute(5)))\n"
    )
    env_path = f"{tmp_path}:{ROOT}"
    dumped = subprocess.run(
        [sys.executable, "-c", dump], capture_output=True, check=True, env={"PYTHONPATH": env_path}
    ).stdout
    loaded = subprocess.run(
        [sys.executable, "-c", load], input=dumped, capture_output=True, check=True,
        env={"PYTHONPATH": env_path},
    )  # fmt: skip
    assert loaded.stdout.decode().split() == ["True", "Minute(number=5,", "text='noted')", "True"]


def test_many_threads_at_once_make_it_once() -> None:
    _, ours = _pair(frozen=True)
    made: list[object] = []
    start = threading.Barrier(8)

    def first_use() -> None:
        start.wait()
        made.append(ours(1))

    threads = [threading.Thread(target=first_use) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(made) == 8 and all(m == ours(1) for m in made)


def test_slots_are_refused() -> None:
    with pytest.raises(TypeError, match="slots make a new one"):
        values.dataclass(slots=True)


def test_every_value_class_of_plvgov_is_made_on_first_use() -> None:
    """The standard decorator would make its class at once, and need its bases made."""
    found = [
        f"{path.relative_to(ROOT)}:{number}"
        for path in sorted((ROOT / "plvgov").rglob("*.py"))
        if path.name != "values.py"
        for number, line in enumerate(path.read_text().splitlines(), 1)
        if re.match(r"\s*(from dataclasses import .*\bdataclass\b|@dataclasses\.dataclass)", line)
    ]
    assert found == []


def test_check_makes_only_the_value_classes_it_uses(tmp_path: Path) -> None:
    """What the deferral is for: of the value classes `check` imports, it makes those it
    creates, not the others (a statement of account, a CPI import's result)."""
    script = (
        "import sys\n"
        "from plvgov.oversight import checks\n"
        "from plvgov.billing import accounts\n"
        "print('__eq__' in accounts.Statement.__dict__, '__eq__' in checks.Finding.__dict__)\n"
        "checks.Finding('info', 'x', 'y')\n"
        "print('__eq__' in checks.Finding.__dict__)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True, cwd=ROOT
    )
    assert done.stdout.split() == ["False", "False", "True"]
