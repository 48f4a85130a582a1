"""The model card's ``model-index`` metadata: its shape against the Hub's, and whether it holds results."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Dict, Iterable, List, Optional

from release_lint.mdparse import MarkdownDoc


@dataclass(frozen=True)
class ModelIndexProblem:
    """A way ``model-index`` departs from the Hub's shape: ``entry`` the entry or field the reason is about
    (``model-index[0].results[1].dataset``), ``reason`` what is wrong with it (``lacks 'name'``), ``missing``
    the key the entry lacks, when that is the fault."""

    entry: str
    reason: str
    line: int
    missing: Optional[str] = None

    @property
    def place(self) -> str:
        """Where in model-index the fault is (``model-index[0].results[1].dataset.name``): the finding's identity."""
        return f"{self.entry}.{self.missing}" if self.missing else self.entry

    @property
    def message(self) -> str:
        return f"{self.entry} {self.reason}"


def model_index_problems(doc: MarkdownDoc, limit: int = 20) -> List[ModelIndexProblem]:
    """Each way ``model-index`` departs from the Hub's shape; [] when fine or absent.

    Hub shape: a list of {name, results: [{task: {type}, dataset: {type, name}, metrics:
    [{type, value}], source?: {url}}]}.
    """
    matter = doc.front_matter
    if not matter.present or matter.error or "model-index" not in matter.mapping:
        return []
    import yaml

    block = "\n".join(doc.lines[matter.start_line : matter.end_line - 1])  # blank lines may precede it
    try:
        root = yaml.compose(block, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    except Exception:  # already parsed once without error; be safe anyway
        return []
    offset = matter.start_line + 1
    problems: List[ModelIndexProblem] = []

    def line_of(node) -> int:
        return node.start_mark.line + offset

    def mapping(node) -> Optional[Dict[str, object]]:
        if not isinstance(node, yaml.MappingNode):
            return None
        return {k.value: v for k, v in node.value if isinstance(k, yaml.ScalarNode)}

    def scalar_present(node) -> bool:
        return isinstance(node, yaml.ScalarNode) and node.value.strip() != "" and node.tag != "tag:yaml.org,2002:null"

    def need(container: Dict[str, object], keys: Iterable[str], where: str, at) -> None:
        for key in keys:
            if key not in container:
                problems.append(ModelIndexProblem(where, f"lacks '{key}'", line_of(at), key))
            elif not scalar_present(container[key]):
                problems.append(ModelIndexProblem(f"{where}.{key}", "must be a non-empty value", line_of(container[key])))

    def items(node, where: str, parent) -> list:
        """The items of a list that must not be empty; [] (and a problem) when it is empty or no list."""
        if isinstance(node, yaml.SequenceNode) and node.value:
            return node.value
        problems.append(ModelIndexProblem(where, "must be a non-empty list", line_of(node if node is not None else parent)))
        return []

    def entry(node, where: str, keys: str = "") -> Optional[Dict[str, object]]:
        """A value that must be a mapping (with *keys*, as the message says); None (and a problem) when not."""
        found = mapping(node)
        if found is None:
            problems.append(ModelIndexProblem(where, "must be a mapping" + (f" with {keys}" if keys else ""), line_of(node)))
        return found

    top = mapping(root) or {}
    index_node = top.get("model-index")
    if not isinstance(index_node, yaml.SequenceNode):
        return [ModelIndexProblem("model-index", "must be a list of models, each with 'name' and 'results'",
                                  line_of(index_node) if index_node is not None else offset)]
    if not index_node.value:
        return [ModelIndexProblem("model-index", "is an empty list", line_of(index_node))]
    for m, model_node in enumerate(index_node.value):
        where = f"model-index[{m}]"
        model = entry(model_node, where, "'name' and 'results'")
        if model is None:
            continue
        need(model, ["name"], where, model_node)
        for r, result_node in enumerate(items(model.get("results"), f"{where}.results", model_node)):
            rwhere = f"{where}.results[{r}]"
            result = entry(result_node, rwhere, "'task', 'dataset' and 'metrics'")
            if result is None:
                continue
            for part, required in (("task", ["type"]), ("dataset", ["type", "name"])):
                node = result.get(part)
                if node is None:
                    problems.append(ModelIndexProblem(rwhere, f"lacks '{part}'", line_of(result_node), part))
                    continue
                content = entry(node, f"{rwhere}.{part}")
                if content is not None:
                    need(content, required, f"{rwhere}.{part}", node)
            for k, metric_node in enumerate(items(result.get("metrics"), f"{rwhere}.metrics", result_node)):
                metric = entry(metric_node, f"{rwhere}.metrics[{k}]", "'type' and 'value'")
                if metric is not None:
                    need(metric, ["type", "value"], f"{rwhere}.metrics[{k}]", metric_node)
            source = result.get("source")
            content = entry(source, f"{rwhere}.source", "'url'") if source is not None else None
            if content is not None:
                need(content, ["url"], f"{rwhere}.source", source)
            if len(problems) >= limit:
                return problems[:limit]
    return problems[:limit]


def model_index_has_results(mapping: dict) -> bool:
    """At least one metric with a value in ``model-index``."""
    models = mapping.get("model-index")
    if not isinstance(models, list):
        return False
    for model in models:
        for result in (model.get("results") or []) if isinstance(model, dict) else []:
            for metric in (result.get("metrics") or []) if isinstance(result, dict) else []:
                if isinstance(metric, dict) and metric.get("value") not in (None, ""):
                    return True
    return False
