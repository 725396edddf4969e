"""Turn planned edits of a YAML file (replace a value, delete an entry) into new text that keeps every comment.

Line-based on purpose, instead of a round-trip library (ruamel.yaml): the positions come from
PyYAML's composer, which amip already uses, and everything outside the edited spans – comments,
flow mappings written on one line, quoting, blank lines – stays byte for byte as the author wrote
it. A round trip would re-wrap long flow mappings and re-quote values authors wrote plainly.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import yaml
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode


@dataclass
class Change:
    line: int          # in the new file
    old: str
    new: str


@dataclass
class YamlEdit:
    text: str
    root: Node | None = None
    ops: list[tuple[int, int, str, str, str]] = field(default_factory=list)   # (start, end, new, old, new) as listed

    @classmethod
    def of(cls, text: str) -> "YamlEdit":
        return cls(text, yaml.compose(text, Loader=yaml.SafeLoader))

    def node(self, *path) -> Node | None:
        current = self.root
        for step in path:
            if isinstance(current, MappingNode) and isinstance(step, str):
                current = next((v for k, v in current.value if k.value == step), None)
            elif isinstance(current, SequenceNode) and isinstance(step, int) and step < len(current.value):
                current = current.value[step]
            else:
                return None
        return current

    def replace(self, node: ScalarNode, new: str, note: str = "", shown: str = "") -> None:
        """Replace a scalar as written (quotes included) by `new`; `note`/`shown` describe it in the list."""
        self.ops.append((node.start_mark.index, node.end_mark.index, new, note, shown))

    def clear(self, mapping: MappingNode, key: str, note: str = "") -> None:
        """`key: value` becomes `key:` (an empty value), comments after it stay."""
        pair = next(((k, v) for k, v in mapping.value if k.value == key), None)
        if pair is not None:
            self.ops.append((pair[0].end_mark.index + 1, pair[1].end_mark.index, "", note, f"{key}: (leer)"))

    def delete(self, mapping: MappingNode, key: str, note: str = "") -> None:
        """Delete `key: value` from a mapping; in block style with its lines and the comment lines just above."""
        pairs = mapping.value
        index = next((i for i, (k, _) in enumerate(pairs) if k.value == key), None)
        if index is None:
            return
        k, v = pairs[index]
        if mapping.flow_style:
            if index > 0:
                start, end = pairs[index - 1][1].end_mark.index, v.end_mark.index
            elif len(pairs) > 1:
                start, end = k.start_mark.index, pairs[1][0].start_mark.index
            else:
                start, end = k.start_mark.index, v.end_mark.index
            self.ops.append((start, end, "", note, ""))
            return
        lines = self.text.split("\n")
        first = k.start_mark.line
        last = v.end_mark.line - 1 if v.end_mark.column == 0 and v.end_mark.line > first else v.end_mark.line
        while first > 0 and lines[first - 1].lstrip().startswith("#") and \
                len(lines[first - 1]) - len(lines[first - 1].lstrip()) == k.start_mark.column:
            first -= 1
        start = sum(len(line) + 1 for line in lines[:first])
        end = sum(len(line) + 1 for line in lines[:last + 1])
        self.ops.append((start, min(end, len(self.text)), "", note, ""))

    def apply(self) -> tuple[str, list[Change]]:
        """The edited text and one Change per edit, with its line in the edited text."""
        out, changes, position, shift = [], [], 0, 0
        for start, end, new, note, shown in sorted(self.ops):
            if start < position:          # overlapping edits: the first one wins
                continue
            out.append(self.text[position:start])
            line = self.text.count("\n", 0, start) + 1 + shift
            old = self.text[start:end]
            changes.append(Change(line, note or old.strip(), shown or new.strip() or "(gelöscht)"))
            out.append(new)
            shift += new.count("\n") - old.count("\n")
            position = end
        out.append(self.text[position:])
        return "".join(out), changes
