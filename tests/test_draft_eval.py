"""The evaluation of `forcewatch draft` on real reports meets its targets."""

import importlib.util

from .conftest import REPO


def test_draft_meets_its_precision_and_recall_targets():
    spec = importlib.util.spec_from_file_location("draft_eval", REPO / "benchmarks" / "draft_eval.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    result = module.evaluate(REPO)
    assert result["cases"] >= 12
    print(module.render(result, verbose=True))
    assert result["precision"] >= module.TARGET_PRECISION, module.render(result, verbose=True)
    assert result["recall"] >= module.TARGET_RECALL, module.render(result, verbose=True)
