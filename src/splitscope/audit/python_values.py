"""Static knowledge about a Python module: what its imported names refer to, and which string values
its names can hold. No code is executed; only literals, f-strings and `+` of known values are folded.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass, field

MAX_VALUES = 8  # a name assigned more than this many different strings is treated as unknown


@dataclass(frozen=True)
class Value:
    text: str  # the string; unresolved parts of an f-string or `+` appear as {expression}
    partial: bool  # some part was not statically known
    origin: str = ""  # e.g. "MODEL = ... (line 3)" when the value came through a name


@dataclass
class ModuleFacts:
    imports: dict[str, str] = field(default_factory=dict)  # local name -> dotted origin
    constants: dict[str, list[Value]] = field(default_factory=dict)  # unparsed target -> values
    docstring_ids: set[int] = field(default_factory=set)  # id() of docstring Constant nodes
    # Names bound to dict literals (PROVIDERS = {...}; provider = PROVIDERS[name]): their entries.
    dicts: dict[str, list[ast.Dict]] = field(default_factory=dict)
    # Class attributes and dataclass field defaults by attribute name: `settings.reranker` resolves to
    # the default of any class field `reranker` in the module (the instance is not tracked).
    attributes: dict[str, list[Value]] = field(default_factory=dict)

    def qualified(self, node: ast.expr) -> str:
        """Dotted call target with imported aliases expanded: genai.Client -> google.genai.Client."""
        parts: list[str] = []
        while isinstance(node, ast.Attribute):
            parts.append(node.attr)
            node = node.value
        if not isinstance(node, ast.Name):
            return ""
        head = self.imports.get(node.id, node.id)
        return ".".join([head, *reversed(parts)])

    def resolve(self, node: ast.expr | None) -> list[Value]:
        """Possible string values of an expression; [] when nothing about it is known."""
        if node is None:
            return []
        if isinstance(node, ast.Constant):
            return [Value(node.value, False)] if isinstance(node.value, str) else []
        if isinstance(node, ast.Name | ast.Attribute):
            known = self.constants.get(ast.unparse(node), [])
            if not known and isinstance(node, ast.Attribute):
                known = self.attributes.get(node.attr, [])
            return known
        if isinstance(node, ast.Subscript):
            return self._subscript(node)
        if isinstance(node, ast.JoinedStr):
            return _join(self, node.values)
        if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
            return _join(self, [node.left, node.right])
        if isinstance(node, ast.IfExp):
            return (self.resolve(node.body) + self.resolve(node.orelse))[:MAX_VALUES]
        if isinstance(node, ast.Call) and _is_env_get(self, node) and len(node.args) > 1:
            return [
                Value(v.text, v.partial, "default of an environment lookup")
                for v in self.resolve(node.args[1])
            ]
        if isinstance(node, ast.Call) and _is_dict_get(node):
            return self._dict_get(node)
        return []

    def dict_literals(self, node: ast.expr | None) -> list[ast.Dict]:
        """Dict literals an expression can be: a literal, a name bound to one, or an entry of one."""
        if isinstance(node, ast.Dict):
            return [node]
        if isinstance(node, ast.Name | ast.Attribute):
            return self.dicts.get(ast.unparse(node), [])
        if isinstance(node, ast.Subscript):
            return [
                v
                for d in self.dict_literals(node.value)
                for v in _entries(self, d, node.slice)
                if isinstance(v, ast.Dict)
            ]
        return []

    def _subscript(self, node: ast.Subscript) -> list[Value]:
        values: list[Value] = []
        for literal in self.dict_literals(node.value):
            for entry in _entries(self, literal, node.slice):
                values.extend(self.resolve(entry))
        return values[:MAX_VALUES]

    def _dict_get(self, call: ast.Call) -> list[Value]:
        """`config.get("model", "Qwen/...")`: the entry if the dict is a known literal, and the default."""
        assert isinstance(call.func, ast.Attribute)
        values: list[Value] = []
        for literal in self.dict_literals(call.func.value):
            for entry in _entries(self, literal, call.args[0]):
                values.extend(self.resolve(entry))
        if len(call.args) > 1:
            values.extend(
                Value(v.text, v.partial, "default of a dict lookup") for v in self.resolve(call.args[1])
            )
        return values[:MAX_VALUES]


def _entries(facts: ModuleFacts, literal: ast.Dict, key: ast.expr) -> list[ast.expr]:
    """Values of a dict literal under `key`; every value when the key is not statically known."""
    keys = {v.text for v in facts.resolve(key)}
    return [
        value
        for k, value in zip(literal.keys, literal.values, strict=True)
        if not keys or (isinstance(k, ast.Constant) and k.value in keys)
    ][:MAX_VALUES]


def _is_dict_get(call: ast.Call) -> bool:
    return isinstance(call.func, ast.Attribute) and call.func.attr == "get" and 1 <= len(call.args) <= 2


def _is_env_get(facts: ModuleFacts, call: ast.Call) -> bool:
    return facts.qualified(call.func) in ("os.environ.get", "os.getenv")


def _join(facts: ModuleFacts, parts: list[ast.expr]) -> list[Value]:
    texts, partial = [""], False
    for part in parts:
        inner = part.value if isinstance(part, ast.FormattedValue) else part
        values = facts.resolve(inner)
        if not values:
            values, partial = [Value("{" + ast.unparse(inner) + "}", True)], True
        partial = partial or any(v.partial for v in values)
        texts = [t + v.text for t in texts for v in values][:MAX_VALUES]
    return [Value(t, partial) for t in texts]


def _collect_imports(nodes: list[ast.AST], facts: ModuleFacts) -> None:
    for node in nodes:
        if isinstance(node, ast.Import):
            for alias in node.names:
                facts.imports[alias.asname or alias.name.split(".")[0]] = (
                    alias.name if alias.asname else alias.name.split(".")[0]
                )
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            for alias in node.names:
                facts.imports[alias.asname or alias.name] = f"{node.module}.{alias.name}"


def _collect_docstrings(nodes: list[ast.AST], facts: ModuleFacts) -> None:
    for node in nodes:
        body = getattr(node, "body", None)
        if isinstance(body, list) and body and isinstance(body[0], ast.Expr):
            value = body[0].value
            if isinstance(value, ast.Constant) and isinstance(value.value, str):
                facts.docstring_ids.add(id(value))


def _assignments(nodes: list[ast.AST]) -> list[tuple[ast.expr, ast.expr]]:
    pairs: list[tuple[ast.expr, ast.expr]] = []
    for node in nodes:
        if isinstance(node, ast.Assign):
            pairs.extend((target, node.value) for target in node.targets)
        elif isinstance(node, ast.AnnAssign) and node.value is not None:
            pairs.append((node.target, node.value))
        elif isinstance(node, ast.arguments):
            # Function defaults: def load(name="Qwen/..."): the parameter can hold the default.
            positional = node.posonlyargs + node.args
            for arg, default in zip(
                positional[len(positional) - len(node.defaults) :], node.defaults, strict=True
            ):
                pairs.append((ast.Name(arg.arg), default))
            for arg, kw_default in zip(node.kwonlyargs, node.kw_defaults, strict=True):
                if kw_default is not None:
                    pairs.append((ast.Name(arg.arg), kw_default))
    pairs.sort(key=lambda pair: getattr(pair[1], "lineno", 0))
    return pairs


def _collect_constants(nodes: list[ast.AST], facts: ModuleFacts) -> None:
    for target, value_node in _assignments(nodes):
        if not isinstance(target, ast.Name | ast.Attribute):
            continue
        values = facts.resolve(value_node)
        if not values:
            continue
        key = ast.unparse(target)
        line = getattr(value_node, "lineno", 0)
        known = facts.constants.setdefault(key, [])
        for value in values:
            origin = value.origin or f"{key} = {value.text!r} (line {line})"
            if all(v.text != value.text for v in known):
                known.append(Value(value.text, value.partial, origin))
        if len(known) > MAX_VALUES:
            facts.constants[key] = []


def _collect_dicts_and_attributes(nodes: list[ast.AST], facts: ModuleFacts) -> None:
    for target, value_node in _assignments(nodes):
        if isinstance(target, ast.Name | ast.Attribute):
            literals = facts.dict_literals(value_node)
            known_dicts = facts.dicts.setdefault(ast.unparse(target), [])
            known_dicts.extend(d for d in literals if all(d is not k for k in known_dicts))
    for node in nodes:
        if not isinstance(node, ast.ClassDef):
            continue
        for statement in node.body:
            if isinstance(statement, ast.AnnAssign | ast.Assign) and statement.value is not None:
                targets = statement.targets if isinstance(statement, ast.Assign) else [statement.target]
                for target in targets:
                    if isinstance(target, ast.Name):
                        known = facts.attributes.setdefault(target.id, [])
                        known.extend(v for v in facts.resolve(statement.value) if v not in known)


def module_facts(nodes: list[ast.AST]) -> ModuleFacts:
    """Facts from a module's nodes (ast.walk order, walked once by the caller)."""
    facts = ModuleFacts()
    _collect_imports(nodes, facts)
    _collect_docstrings(nodes, facts)
    _collect_dicts_and_attributes(nodes, facts)
    _collect_constants(nodes, facts)
    _collect_dicts_and_attributes(nodes, facts)  # again: class fields that name module constants
    return facts
